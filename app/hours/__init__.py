"""Opening hours of the helpline channels: model, status engine and JSON import/export."""
