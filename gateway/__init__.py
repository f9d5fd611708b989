"""The Starlette host: settings, credential store, middleware, CLI, and the vendor routes."""
