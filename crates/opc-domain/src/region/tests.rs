use super::*;

fn region(code: &str, level: Level, parent: Option<&str>) -> Region {
    Region {
        code: code.into(),
        level,
        parent: parent.map(str::to_owned),
        name_zh: format!("区域{code}"),
        name_en: format!("Region {code}"),
    }
}

fn sample() -> Vec<Region> {
    vec![
        region("440305", Level::County, Some("440300")),
        region("440000", Level::Province, None),
        region("440300", Level::City, Some("440000")),
        region("110000", Level::Province, None),
    ]
}

#[test]
fn b2_12_a_set_is_kept_by_level_and_code() {
    let set = RegionSet::new(sample()).unwrap();
    let codes: Vec<&str> = set.regions().iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["110000", "440000", "440300", "440305"]);
    assert_eq!((set.count(Level::Province), set.count(Level::City), set.count(Level::County)), (2, 1, 1));
    assert_eq!((set.regions()[0].name(false), set.regions()[0].name(true)), ("区域110000", "Region 110000"));
}

#[test]
fn b2_12_a_set_that_does_not_hold_together_is_refused_whole() {
    let with = |extra: Region| {
        let mut all = sample();
        all.push(extra);
        RegionSet::new(all)
    };
    assert_eq!(with(region("440300", Level::City, Some("440000"))), Err(RegionError::Duplicate("440300".into())));
    assert_eq!(with(region("12 34", Level::Province, None)), Err(RegionError::Code("12 34".into())));
    assert_eq!(with(region("", Level::Province, None)), Err(RegionError::Code(String::new())));
    assert_eq!(with(region("1", Level::City, None)), Err(RegionError::Parent("1".into())), "a city under nothing");
    assert_eq!(
        with(region("2", Level::County, Some("440000"))),
        Err(RegionError::Parent("2".into())),
        "a county under a province"
    );
    assert_eq!(with(region("3", Level::City, Some("999"))), Err(RegionError::Parent("3".into())), "an unknown parent");
    assert_eq!(with(region("4", Level::Province, Some("440000"))), Err(RegionError::Parent("4".into())));
    let unnamed = Region { name_en: " ".into(), ..region("5", Level::Province, None) };
    assert_eq!(with(unnamed), Err(RegionError::Name("5".into())));
}
