## plugins/linter/postgresql: (being written)
