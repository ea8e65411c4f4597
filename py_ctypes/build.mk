build-capi: ## (placeholder)
	@true
