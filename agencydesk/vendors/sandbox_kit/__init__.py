"""What every vendor sandbox shares: clock, rate limiter, fault injection, the shared population
of people, the served-endpoint registry, and running an app on loopback."""
