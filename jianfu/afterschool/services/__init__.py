"""After-school services: one module per topic (programme, choosing, allocation, attendance, pickup)."""
