"""Email summaries: summary data -> rendered message -> SMTP -> schedule."""
