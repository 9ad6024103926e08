from camket.cli import main

main()
