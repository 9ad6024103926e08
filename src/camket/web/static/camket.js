/* camket serve: a few lines of plain JavaScript on top of htmx (no other library).
   - forms marked data-drop take dropped files and send them with a progress bar;
   - forms marked data-confirm ask before they are sent;
   - links marked data-back go back one page. */
(function () {
  "use strict";

  function sizeText(bytes) {
    if (bytes < 1048576) {
      return Math.max(1, Math.round(bytes / 1024)).toLocaleString("vi-VN") + " KB";
    }
    return (bytes / 1048576).toLocaleString("vi-VN", { maximumFractionDigits: 1 }) + " MB";
  }

  function show(target, swap, html) {
    if (swap === "afterbegin") {
      target.insertAdjacentHTML("afterbegin", html);
    } else {
      target.innerHTML = html;
    }
    if (window.htmx) { window.htmx.process(target); }
    target.scrollIntoView({ behavior: "smooth", block: "start" });
  }

  function problem(text) {
    var p = document.createElement("p");
    p.className = "alert bad";
    p.setAttribute("role", "alert");
    p.textContent = text;
    return p.outerHTML;
  }

  function send(form) {
    var input = form.querySelector("input[type=file]");
    var target = document.querySelector(form.dataset.target);
    var swap = form.dataset.swap || "inner";
    var maxFile = parseInt(form.dataset.maxFile, 10);
    var maxFiles = parseInt(form.dataset.maxFiles, 10);
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length) {
      show(target, swap, problem("Chưa chọn tệp nào. Chọn hoặc kéo thả tệp báo cáo rồi gửi."));
      return;
    }
    if (files.length > maxFiles) {
      show(target, swap, problem("Mỗi lần chỉ gửi được tối đa " + maxFiles + " tệp. Nén các tệp thành một tệp .zip hoặc gửi làm nhiều lần."));
      return;
    }
    var big = files.filter(function (f) { return f.size > maxFile; });
    if (big.length) {
      show(target, swap, problem("Tệp \u201c" + big[0].name + "\u201d (" + sizeText(big[0].size) + ") lớn hơn " +
        sizeText(maxFile) + ", vượt giới hạn tiếp nhận; chưa gửi tệp nào. Kiểm tra lại tệp."));
      return;
    }
    var bar = form.querySelector("progress");
    var button = form.querySelector("button[type=submit]");
    var request = new XMLHttpRequest();
    request.open("POST", form.getAttribute("action"));
    request.setRequestHeader("X-CSRF-Token", form.querySelector("input[name=csrf]").value);
    request.setRequestHeader("X-Requested-With", "fetch");
    request.setRequestHeader("HX-Request", "true");
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) { bar.value = Math.round(100 * event.loaded / event.total); }
    });
    request.addEventListener("load", function () {
      show(target, swap, request.responseText);
      finish();
    });
    request.addEventListener("error", function () {
      show(target, swap, problem("Không gửi được (mất kết nối tới máy chủ). Kiểm tra mạng rồi gửi lại."));
      finish();
    });
    function finish() {
      bar.hidden = true;
      button.disabled = false;
      form.classList.remove("sending");
      input.value = "";
      form.querySelector(".chosen") && form.querySelector(".chosen").remove();
    }
    if (swap !== "afterbegin") {
      target.innerHTML = '<p class="muted sending-note">Đang gửi và kiểm tra tệp…</p>';
    }
    bar.hidden = false;
    bar.value = 0;
    button.disabled = true;
    form.classList.add("sending");
    request.send(new FormData(form));
  }

  function listChosen(form) {
    var input = form.querySelector("input[type=file]");
    var old = form.querySelector(".chosen");
    if (old) { old.remove(); }
    if (!input.files || !input.files.length) { return; }
    var list = document.createElement("ul");
    list.className = "chosen";
    Array.prototype.forEach.call(input.files, function (f) {
      var item = document.createElement("li");
      item.textContent = f.name + " (" + sizeText(f.size) + ")";
      list.appendChild(item);
    });
    input.insertAdjacentElement("afterend", list);
  }

  function setUp(form) {
    var input = form.querySelector("input[type=file]");
    ["dragenter", "dragover"].forEach(function (name) {
      form.addEventListener(name, function (event) {
        event.preventDefault();
        form.classList.add("over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      form.addEventListener(name, function () { form.classList.remove("over"); });
    });
    form.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        listChosen(form);
        send(form);
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send(form);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-drop]").forEach(setUp);
    document.querySelectorAll("input.hidden-input").forEach(function (input) {
      input.addEventListener("change", function () { listChosen(input.form); });
    });
    document.querySelectorAll("[data-back]").forEach(function (link) {
      link.hidden = false;
      link.addEventListener("click", function (event) {
        event.preventDefault();
        history.back();
      });
    });
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  }, true);
})();
