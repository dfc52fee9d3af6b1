//! Batch loaders, one set per request: a page of fifty users asks for their
//! departments and managers in two queries, not a hundred.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;

use crate::{
    error::Error,
    store::{Store, departments::Department, users::User},
};

pub struct UserLoader(pub Store);
pub struct DepartmentLoader(pub Store);
pub struct RoleCodesLoader(pub Store);

impl Loader<i64> for UserLoader {
    type Value = User;
    type Error = Arc<Error>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, User>, Self::Error> {
        let rows = self.0.users_by_ids(keys).await.map_err(Arc::new)?;
        Ok(rows.into_iter().map(|u| (u.id, u)).collect())
    }
}

impl Loader<i64> for DepartmentLoader {
    type Value = Department;
    type Error = Arc<Error>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Department>, Self::Error> {
        let rows = self.0.departments_by_ids(keys).await.map_err(Arc::new)?;
        Ok(rows.into_iter().map(|d| (d.id, d)).collect())
    }
}

impl Loader<i64> for RoleCodesLoader {
    type Value = Vec<String>;
    type Error = Arc<Error>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Vec<String>>, Self::Error> {
        self.0.role_codes_of(keys).await.map_err(Arc::new)
    }
}

pub struct TicketLoader(pub Store);
pub struct TemplateLoader(pub Store);

impl Loader<i64> for TicketLoader {
    type Value = crate::store::tickets::Ticket;
    type Error = Arc<Error>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = self.0.tickets_by_ids(keys).await.map_err(Arc::new)?;
        Ok(rows.into_iter().map(|t| (t.id, t)).collect())
    }
}

impl Loader<i64> for TemplateLoader {
    type Value = crate::store::templates::Template;
    type Error = Arc<Error>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let mut out = HashMap::new();
        for key in keys {
            if let Some(t) = self.0.template(*key).await.map_err(Arc::new)? {
                out.insert(*key, t);
            }
        }
        Ok(out)
    }
}
