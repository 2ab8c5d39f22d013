from laatool.launch import main

main()
