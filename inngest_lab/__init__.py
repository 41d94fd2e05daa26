"""inngest-lab: a durable event and workflow engine that speaks Inngest's protocol."""
