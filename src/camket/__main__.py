from camket.cli import main

if __name__ == "__main__":  # not when worker processes import it
    main()
