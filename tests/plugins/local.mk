## tests/plugins: test-only plugins, built for the loader tests.
