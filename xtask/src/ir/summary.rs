//! A one-line account of what was lowered, printed by `regen`.

use super::Api;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub operations: usize,
    pub schemas: usize,
    pub webhooks: usize,
    pub named_types: usize,
    pub warnings: usize,
}

impl Summary {
    pub fn of(api: &Api) -> Self {
        Summary {
            operations: api.operations.len(),
            schemas: api.component_schema_count,
            webhooks: api.webhooks.len(),
            named_types: api.types.len(),
            warnings: api.warnings.len(),
        }
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "lowered {} operations, {} schemas, {} webhooks ({} named types), 0 errors, {} warnings",
            self.operations, self.schemas, self.webhooks, self.named_types, self.warnings
        )
    }
}
