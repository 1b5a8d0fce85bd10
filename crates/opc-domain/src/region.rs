//! Administrative regions (BSS B2.12: `list_provinces`, `list_cities`, `list_counties`): a
//! data set the operator imports whole — provinces, their cities, the cities' districts and
//! counties — with a name in Chinese and one in English. A set is checked whole before it
//! replaces the last one: codes unique, every city under a province and every county under a
//! city.

use std::collections::BTreeMap;

/// How deep a region is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Province,
    City,
    County,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Province, Level::City, Level::County];

    /// The level a region under this one has.
    fn below(self) -> Option<Level> {
        match self {
            Level::Province => Some(Level::City),
            Level::City => Some(Level::County),
            Level::County => None,
        }
    }
}

/// One region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    pub code: String,
    pub level: Level,
    /// The province of a city, the city of a county; `None` for a province.
    pub parent: Option<String>,
    pub name_zh: String,
    pub name_en: String,
}

impl Region {
    /// Its name in English (`en`) or Chinese (the default of B2.12's `X-Language`).
    pub fn name(&self, en: bool) -> &str {
        if en {
            &self.name_en
        } else {
            &self.name_zh
        }
    }
}

/// The most regions a set may hold.
pub const MAX_REGIONS: usize = 100_000;
const MAX_CODE: usize = 32;
const MAX_NAME: usize = 100;

/// Why a set of regions is refused, naming the region.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RegionError {
    #[error("region {0:?}: a code is 1 to 32 letters, digits, '-' or '_'")]
    Code(String),
    #[error("region {0:?}: its code is used twice")]
    Duplicate(String),
    #[error("region {0:?}: a name (Chinese and English) is 1 to 100 characters")]
    Name(String),
    #[error("region {0:?}: a province has no parent; a city's parent is a province, a county's a city")]
    Parent(String),
    #[error("a set holds at most {MAX_REGIONS} regions")]
    TooMany,
}

/// A checked set of regions, by level and code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegionSet {
    regions: Vec<Region>,
}

impl RegionSet {
    /// Checks `regions` whole: every code well formed and unique, every name given, every
    /// region under a parent of the level above (provinces under none).
    pub fn new(mut regions: Vec<Region>) -> Result<RegionSet, RegionError> {
        if regions.len() > MAX_REGIONS {
            return Err(RegionError::TooMany);
        }
        let mut levels: BTreeMap<&str, Level> = BTreeMap::new();
        for r in &regions {
            let well_formed = |c: &str| {
                !c.is_empty()
                    && c.len() <= MAX_CODE
                    && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
            };
            if !well_formed(&r.code) {
                return Err(RegionError::Code(r.code.clone()));
            }
            for name in [&r.name_zh, &r.name_en] {
                let n = name.trim().chars().count();
                if n == 0 || n > MAX_NAME {
                    return Err(RegionError::Name(r.code.clone()));
                }
            }
            if levels.insert(&r.code, r.level).is_some() {
                return Err(RegionError::Duplicate(r.code.clone()));
            }
        }
        for r in &regions {
            let fits = match (&r.parent, r.level) {
                (None, Level::Province) => true,
                (Some(p), level) => levels.get(p.as_str()).and_then(|l| l.below()) == Some(level),
                (None, _) => false,
            };
            if !fits {
                return Err(RegionError::Parent(r.code.clone()));
            }
        }
        regions.sort_by(|a, b| (a.level, &a.code).cmp(&(b.level, &b.code)));
        Ok(RegionSet { regions })
    }

    /// Provinces, then cities, then counties, each by code.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    pub fn count(&self, level: Level) -> usize {
        self.regions.iter().filter(|r| r.level == level).count()
    }
}

#[cfg(test)]
mod tests;
