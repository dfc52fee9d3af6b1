//! Per-node caches of what every submission and action reads but rarely
//! changes: the organisation snapshot and compiled template versions.
//! Versions are immutable, so they are cached for good; the organisation
//! and the "current version" of a template are reloaded when this node wrote
//! to them (the store's generation counters) or after a short TTL, which
//! bounds how stale another node's change can look.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

use crate::{
    domain::workflow::{ChainDef, FormSchema},
    error::{Error, Result},
    store::{
        Store,
        orgview::OrgSnapshot,
        templates::{Template, TemplateVersion},
    },
};

/// How long a snapshot may serve when nothing on this node changed it.
const TTL: Duration = Duration::from_secs(5);

/// A template version parsed once into the domain's types.
#[derive(Debug)]
pub struct CompiledVersion {
    pub id: i64,
    pub template_id: i64,
    pub version: i32,
    pub schema: FormSchema,
    pub chain: ChainDef,
    pub automations: serde_json::Value,
    /// The automations as typed tasks. Empty for a list saved before tasks
    /// were typed: such a ticket waits in processing for `finishProcessing`.
    pub tasks: Vec<crate::domain::automation::Task>,
}

impl CompiledVersion {
    pub fn has_automations(&self) -> bool {
        self.automations.as_array().is_some_and(|a| !a.is_empty())
    }

    fn compile(row: &TemplateVersion) -> Result<Self> {
        let corrupt = |what: &str, e: serde_json::Error| {
            Error::internal(anyhow::anyhow!("template version {} has a corrupt {what}: {e}", row.id))
        };
        let automations: serde_json::Value =
            serde_json::from_str(&row.automations).map_err(|e| corrupt("automation list", e))?;
        let tasks = crate::domain::automation::parse_tasks(&automations).unwrap_or_else(|e| {
            tracing::warn!(version = row.id, error = %e, "automations are not typed tasks; they run by hand");
            Vec::new()
        });
        Ok(Self {
            id: row.id,
            template_id: row.template_id,
            version: row.version,
            schema: serde_json::from_str(&row.form_schema).map_err(|e| corrupt("form schema", e))?,
            chain: serde_json::from_str(&row.chain).map_err(|e| corrupt("chain", e))?,
            automations,
            tasks,
        })
    }
}

struct Fresh<T> {
    at: Instant,
    generation: u64,
    value: T,
}

impl<T> Fresh<T> {
    fn valid(&self, generation: u64) -> bool {
        self.generation == generation && self.at.elapsed() < TTL
    }
}

/// The caches of one node.
pub struct Catalog {
    store: Store,
    org: tokio::sync::Mutex<Option<Fresh<Arc<OrgSnapshot>>>>,
    versions: RwLock<HashMap<i64, Arc<CompiledVersion>>>,
    current: RwLock<HashMap<String, Fresh<(Template, Arc<CompiledVersion>)>>>,
}

impl Catalog {
    pub fn new(store: Store) -> Self {
        Self { store, org: Default::default(), versions: Default::default(), current: Default::default() }
    }

    /// The organisation as chain resolution sees it. One reload at a time:
    /// concurrent callers wait for it instead of all querying.
    pub async fn org(&self) -> Result<Arc<OrgSnapshot>> {
        let generation = self.store.org_generation();
        let mut slot = self.org.lock().await;
        if let Some(fresh) = slot.as_ref().filter(|f| f.valid(generation)) {
            return Ok(fresh.value.clone());
        }
        let value = Arc::new(self.store.org_snapshot().await?);
        *slot = Some(Fresh { at: Instant::now(), generation, value: value.clone() });
        Ok(value)
    }

    /// A version by id, compiled once.
    pub async fn version(&self, id: i64) -> Result<Arc<CompiledVersion>> {
        if let Some(v) = self.versions.read().expect("version cache poisoned").get(&id) {
            return Ok(v.clone());
        }
        let row = self.store.template_version(id).await?.ok_or(Error::not_found("template version"))?;
        self.version_of(&row)
    }

    /// A template and its current version, by code.
    pub async fn current(&self, code: &str) -> Result<(Template, Arc<CompiledVersion>)> {
        let generation = self.store.template_generation();
        if let Some(fresh) =
            self.current.read().expect("template cache poisoned").get(code).filter(|f| f.valid(generation))
        {
            return Ok(fresh.value.clone());
        }
        let template = self.store.template_by_code(code).await?.ok_or(Error::not_found("template"))?;
        let row = self
            .store
            .template_version_number(template.id, template.current_version)
            .await?
            .ok_or(Error::not_found("template version"))?;
        let compiled = self.version_of(&row)?;
        let value = (template, compiled);
        self.current
            .write()
            .expect("template cache poisoned")
            .insert(code.to_string(), Fresh { at: Instant::now(), generation, value: value.clone() });
        Ok(value)
    }

    fn version_of(&self, row: &TemplateVersion) -> Result<Arc<CompiledVersion>> {
        if let Some(v) = self.versions.read().expect("version cache poisoned").get(&row.id) {
            return Ok(v.clone());
        }
        let compiled = Arc::new(CompiledVersion::compile(row)?);
        self.versions.write().expect("version cache poisoned").insert(row.id, compiled.clone());
        Ok(compiled)
    }
}
