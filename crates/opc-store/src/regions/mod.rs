//! The regions aggregate: the operator's imported provinces, cities and counties (B2.12), and
//! the JSON document it imports them from.

use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::audit::AuditEvent;
use opc_domain::region::{Level, Region, RegionSet};
use serde::Deserialize;
use tracing::instrument;

use crate::audit::insert_audit;
use crate::bulk::{insert_columns, Column};
use crate::codes::Code;
use crate::db::{err, finish, page, query, Builder};
use crate::SqlStore;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    provinces: Vec<Node>,
}

/// A region in the document, with the regions under it (`cities` of a province, `counties` of
/// a city).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Node {
    code: String,
    name: String,
    name_en: String,
    #[serde(default)]
    cities: Vec<Node>,
    #[serde(default)]
    counties: Vec<Node>,
}

/// Reads a regions document, or says what is wrong with it: `{"provinces": [{"code", "name", "name_en", "cities": [{…,
/// "counties": [{…}]}]}]}` (`name` in Chinese). Nested as it is, the set is then checked whole
/// ([`RegionSet::new`]).
pub fn parse(text: &str) -> Result<RegionSet, String> {
    let doc: Document = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let mut regions = Vec::new();
    fn add(out: &mut Vec<Region>, node: Node, level: Level, parent: Option<&str>) -> Result<(), String> {
        let (below, children) = match level {
            Level::Province if node.counties.is_empty() => (Level::City, node.cities),
            Level::City if node.cities.is_empty() => (Level::County, node.counties),
            Level::County if node.cities.is_empty() && node.counties.is_empty() => (Level::County, vec![]),
            _ => return Err(format!("region {:?}: cities go under a province, counties under a city", node.code)),
        };
        out.push(Region {
            code: node.code.clone(),
            level,
            parent: parent.map(str::to_owned),
            name_zh: node.name,
            name_en: node.name_en,
        });
        for child in children {
            add(out, child, below, Some(&node.code))?;
        }
        Ok(())
    }
    for p in doc.provinces {
        add(&mut regions, p, Level::Province, None)?;
    }
    RegionSet::new(regions).map_err(|e| e.to_string())
}

/// Regions written per statement.
const CHUNK: usize = 5_000;

impl Code for Level {
    const ALL: &'static [Self] = &Level::ALL;

    fn code(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::City => "city",
            Level::County => "county",
        }
    }
}

#[derive(sqlx::FromRow)]
struct RegionRow {
    code: String,
    level: String,
    parent_code: Option<String>,
    name_zh: String,
    name_en: String,
}

impl RegionRow {
    fn into_region(self) -> Result<Region, sqlx::Error> {
        Ok(Region {
            level: Code::from_code(&self.level)?,
            code: self.code,
            parent: self.parent_code,
            name_zh: self.name_zh,
            name_en: self.name_en,
        })
    }
}

#[async_trait]
impl Regions for SqlStore {
    #[instrument(level = "debug", skip_all, fields(count = set.regions().len()))]
    async fn replace_regions(&self, set: &RegionSet, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            query("DELETE FROM regions").execute(&mut tx).await.map_err(err)?;
            for chunk in set.regions().chunks(CHUNK) {
                let columns = [
                    Column::Text(chunk.iter().map(|r| r.code.as_str()).collect()),
                    Column::Text(chunk.iter().map(|r| r.level.code()).collect()),
                    Column::Text(chunk.iter().map(|r| r.parent.as_deref().unwrap_or("")).collect()),
                    Column::Text(chunk.iter().map(|r| r.name_zh.as_str()).collect()),
                    Column::Text(chunk.iter().map(|r| r.name_en.as_str()).collect()),
                ];
                let names = ["code", "level", "parent_code", "name_zh", "name_en"];
                insert_columns(&mut tx, "regions", &names, &columns).await.map_err(err)?;
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(level = q.level.code()))]
    async fn regions(&self, q: &RegionQuery) -> Result<(Vec<Region>, u64), StoreError> {
        let filters = |b: &mut Builder<'_>| {
            b.push(" FROM regions WHERE level = ").push_bind(q.level.code());
            b.push(" AND parent_code = ").push_bind(q.parent.clone().unwrap_or_default());
        };
        let mut conn = self.db.begin().await?;
        let result = async {
            let select = "SELECT code, level, NULLIF(parent_code, '') AS parent_code, name_zh, name_en";
            let (rows, total): (Vec<RegionRow>, u64) =
                page(&mut conn, select, filters, "ORDER BY code", (q.offset, q.limit)).await?;
            let regions = rows.into_iter().map(RegionRow::into_region).collect::<Result<_, _>>().map_err(err)?;
            Ok((regions, total))
        }
        .await;
        finish(conn, result).await
    }
}
