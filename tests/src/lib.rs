//! Tests live in `tests/`: generator snapshots over small fixture specs and
//! integration tests of the generated client against local mocks.
