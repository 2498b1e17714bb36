"""Confrere's service: the Litestar app, the GraphQL schema and the domain capabilities."""
