"""Regions through the China-site SDK (BSS-API.md B2.12): the operator imports the sample data
set (CLI); a partner lists provinces, a province's cities and a city's districts, a page at a
time, in Chinese or English."""
import pathlib

from huaweicloudsdkbss.v2.model import ListCitiesRequest, ListCountiesRequest, ListProvincesRequest

SAMPLE = pathlib.Path(__file__).resolve().parent.parent / "docs" / "regions-sample.json"


def test_a_partner_lists_the_imported_regions(admin, new_partner, bss_client_for):
    imported = admin("admin", "regions", "import", str(SAMPLE), "--json")
    assert imported == {"provinces": 3, "cities": 4, "counties": 11}
    bss = bss_client_for(new_partner())
    provinces = bss.list_provinces(ListProvincesRequest(limit=2))
    assert provinces.count == 3
    assert [(p.code, p.name) for p in provinces.provinces] == [("110000", "北京市"), ("310000", "上海市")]
    cities = bss.list_cities(ListCitiesRequest(province_code="440000"))
    assert [c.name for c in cities.cities] == ["广州市", "深圳市"]
    counties = bss.list_counties(ListCountiesRequest(city_code="440300", x_language="en_us", offset=1))
    assert (counties.count, [(c.code, c.name) for c in counties.counties]) == (2, [("440305", "Nanshan District")])
