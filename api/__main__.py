"""`python -m api` is the `confrere` command."""

from api.cli import main

main()
