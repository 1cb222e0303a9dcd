"""ember.distributed._composable: torch's composable parallel APIs, not usable in ember."""
