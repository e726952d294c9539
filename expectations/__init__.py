"""Great Expectations suites (as code) and the code that runs them, through GX Core."""
