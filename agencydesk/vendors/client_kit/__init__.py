"""What every vendor client is built on: one HTTP base (timeouts, retries, error mapping, logging),
a per-account rate limiter, paginators with loop detection and bearer auth that renews itself."""
