build-pybind11: ## (placeholder)
	@true
