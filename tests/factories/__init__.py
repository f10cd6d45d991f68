"""factory_boy factories for the tests: build the objects a test needs in one line, with defaults
that make a valid, published object, and name only what the test is about."""
