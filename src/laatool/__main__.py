from laatool.cli import main

main()
