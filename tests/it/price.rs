// The price corpus test (tests/fixtures/prices.tsv) lands here.
