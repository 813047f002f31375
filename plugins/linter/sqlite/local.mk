## plugins/linter/sqlite: (being written)
