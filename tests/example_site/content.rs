//! The example workspace: "Field Notes", a naturalist's travel and photo blog in a Notion
//! database, and an About page with a child page. Between them the posts use every block type
//! Notion has and every rich-text feature.

use serde_json::{Value, json};

use super::documents;
use super::photos::{self, Landscape};
use crate::support::blocks::IntoRichText;
use crate::support::fake_notion::uuid_from;
use crate::support::{DbRef, FileRef, Workspace, blocks as b};

/// The seed of every id in the example workspace.
pub const SEED: &str = "example-site";

/// The Notion-hosted files of the example.
pub struct Media {
    pub fen_dawn: FileRef,
    pub fen_dusk: FileRef,
    pub estuary: FileRef,
    pub kest_cliffs: FileRef,
    pub kest_shore: FileRef,
    pub lichen: FileRef,
    pub chart: FileRef,
    pub rosette: FileRef,
    pub tide: FileRef,
    pub map: FileRef,
    pub itinerary: FileRef,
    pub track: FileRef,
    pub song: FileRef,
}

/// What the config needs, and what the checks look for.
pub struct Ids {
    pub database: DbRef,
    pub posts: Vec<String>,
    pub draft: String,
    pub about: String,
    pub gear: String,
}

/// Generates every file (a few seconds of pixel pushing) and registers it in `ws`.
pub fn add_media(ws: &mut Workspace) -> Media {
    let fen = Landscape {
        seed: 11,
        sky_top: 0x3b5a7a,
        sky_horizon: 0xf2c38b,
        sun: Some((0.68, 0.47, 0.018, 0xffd59a)),
        clouds: 0.35,
        ridge_far: 0x8a8fa0,
        ridge_near: 0x2d3a2e,
        ridges: 3,
        relief: 0.06,
        horizon: 0.56,
        water: true,
        reeds: true,
    };
    let dusk = Landscape {
        seed: 12,
        sky_top: 0x1d2346,
        sky_horizon: 0xd9786a,
        sun: Some((0.25, 0.2, 0.01, 0xf4efe0)),
        clouds: 0.25,
        ridge_far: 0x5b5470,
        ridge_near: 0x1b1d22,
        ridges: 3,
        relief: 0.05,
        horizon: 0.6,
        water: true,
        reeds: true,
    };
    let estuary = Landscape {
        seed: 21,
        sky_top: 0x6f93b5,
        sky_horizon: 0xd8dfe2,
        sun: None,
        clouds: 0.55,
        ridge_far: 0x9aa3a0,
        ridge_near: 0x6d6a55,
        ridges: 2,
        relief: 0.04,
        horizon: 0.5,
        water: true,
        reeds: false,
    };
    let cliffs = Landscape {
        seed: 31,
        sky_top: 0x4e7ea8,
        sky_horizon: 0xcfe0e6,
        sun: Some((0.8, 0.12, 0.02, 0xfff3d6)),
        clouds: 0.45,
        ridge_far: 0x7d8c8a,
        ridge_near: 0x2f3b33,
        ridges: 5,
        relief: 0.22,
        horizon: 0.62,
        water: true,
        reeds: false,
    };
    let shore = Landscape {
        seed: 41,
        sky_top: 0x5c86b0,
        sky_horizon: 0xe9e3d2,
        sun: None,
        clouds: 0.6,
        ridge_far: 0x90a0a6,
        ridge_near: 0x44513f,
        ridges: 4,
        relief: 0.12,
        horizon: 0.58,
        water: true,
        reeds: false,
    };
    Media {
        fen_dawn: ws.add_file(
            "hollow-fen-dawn.jpg",
            photos::jpeg(&fen.render(2400, 1600), 88),
        ),
        fen_dusk: ws.add_file(
            "hollow-fen-june-dusk.jpg",
            photos::jpeg(&dusk.render(1800, 1200), 88),
        ),
        estuary: ws.add_file(
            "ouse-estuary.jpg",
            photos::jpeg(&estuary.render(1200, 800), 86),
        ),
        kest_cliffs: ws.add_file("IMG_4471.JPG", photos::jpeg(&cliffs.render(1600, 2000), 88)),
        kest_shore: ws.add_file(
            "kest shore (edited).webp",
            photos::webp(&shore.render(1600, 1067), 78.0),
        ),
        lichen: ws.add_file(
            "xanthoria-on-granite.jpg",
            photos::jpeg(&photos::lichen_macro(1200, 800, 51), 88),
        ),
        chart: ws.add_file(
            "Screenshot 2026-04-18 at 21.04.11.png",
            photos::png_rgba(&photos::chart_screenshot(900, 560)),
        ),
        rosette: ws.add_file("rosette.png", photos::png_rgba(&photos::rosette_icon(256))),
        tide: ws.add_file("tide-at-seal-stack.gif", photos::tide_gif(240, 160, 61)),
        map: ws.add_file("kest-route.svg", documents::kest_map_svg()),
        itinerary: ws.add_file("Kest itinerary.pdf", documents::itinerary_pdf()),
        track: ws.add_file_with_type(
            "hollow-fen-loop.gpx",
            documents::fen_walk_gpx(),
            "application/gpx+xml",
        ),
        song: ws.add_file("reed-warbler.wav", documents::reed_warbler_wav()),
    }
}

// ------------------------------------------------------------------------------ rich text

fn t(s: &str) -> Value {
    b::text(s)
}

fn a(s: &str, marks: &[&str]) -> Value {
    b::annotated(s, marks)
}

fn l(s: &str, url: &str) -> Value {
    b::link(s, url)
}

fn eq(expression: &str) -> Value {
    b::inline_equation(expression)
}

fn p(runs: impl IntoRichText) -> Value {
    b::paragraph(runs)
}

/// A mention of a kind the block constructors do not cover.
fn mention(kind: &str, payload: Value, plain: &str, href: Option<&str>) -> Value {
    let mut m = b::text(plain);
    m["type"] = json!("mention");
    m.as_object_mut().unwrap().remove("text");
    m["mention"] = json!({"type": kind, kind: payload});
    m["href"] = json!(href);
    m
}

fn custom_emoji_mention(name: &str) -> Value {
    let icon = b::custom_emoji(name, &custom_emoji_url(name));
    mention(
        "custom_emoji",
        icon["custom_emoji"].clone(),
        &format!(":{name}:"),
        None,
    )
}

fn custom_emoji_url(name: &str) -> String {
    format!(
        "https://s3-us-west-2.amazonaws.com/public.notion-static.com/{}/{name}.png",
        uuid_from(&format!("{SEED}:emoji:{name}"))
    )
}

fn with_caption(mut block: Value, caption: Vec<Value>) -> Value {
    let ty = block["type"].as_str().unwrap().to_string();
    block[ty]["caption"] = Value::Array(caption);
    block
}

fn set_field(mut block: Value, key: &str, value: Value) -> Value {
    let ty = block["type"].as_str().unwrap().to_string();
    block[ty][key] = value;
    block
}

/// The id that joins the synced block in "Hollow Fen" to its copies.
const FIELD_ETHICS: &str = "example-site:synced:field-ethics";

/// Builds the whole example in `ws`.
pub fn build(ws: &mut Workspace, m: &Media) -> Ids {
    let db = ws.add_database(
        "Field Notes",
        &[
            ("Published", "checkbox"),
            ("Date", "date"),
            ("Tags", "multi_select"),
            ("Slug", "rich_text"),
            ("Description", "rich_text"),
            ("Location", "rich_text"),
            ("Distance (km)", "number"),
            ("Attachments", "files"),
        ],
    );
    ws.set_property_config(
        &db,
        "Distance (km)",
        json!({"format": "number_with_commas"}),
    );
    ws.set_database_icon_cover(&db, b::emoji("🪶"), b::hosted(&m.fen_dawn));
    let ines = uuid_from(&format!("{SEED}:user:ines"));

    // ---------------------------------------------------------------- 1. Hollow Fen (March)
    let fen = ws.add_row(
        &db,
        json!({
            "Name": "Hollow Fen",
            "Published": true,
            "Date": "2026-03-14",
            "Tags": ["Wetlands", "Birds", "Photography"],
            "Location": "Hollow Fen, Cambridgeshire",
            "Distance (km)": 6.5,
            "Attachments": [b::files_entry("reed-warbler.wav", b::hosted(&m.song))],
            "Description": "A dawn walk round the mere: bitterns booming, marsh harriers quartering the reeds, and the first reed warbler of the year."
        }),
        vec![
            b::table_of_contents(),
            p(vec![
                t("I set off at "),
                b::date_mention("2026-03-14T05:40:00.000+00:00", None),
                t(" with a flask, the long lens and a forecast that promised frost. Hollow Fen is "),
                a("four square kilometres of reed, carr and open water", &["bold"]),
                t(" on the southern edge of the Fens, and in March it wakes up noisily."),
            ]),
            b::heading_1("Before sunrise"),
            p(vec![
                t("The mere was "),
                a("still as glass", &["italic"]),
                t(". A bittern boomed twice from the north reedbed, a sound you "),
                a("feel", &["underline"]),
                t(" in your breastbone before you hear it, and a pair of marsh harriers lifted off their roost and began quartering the reed tops, tilting on the wind like paper."),
            ]),
            b::image(
                b::hosted(&m.fen_dawn),
                vec![
                    t("The mere at 06:12, looking east. "),
                    a("1/250 s, f/8, ISO 400", &["code"]),
                ],
            ),
            b::heading_2("What I carried"),
            b::with_children(
                b::bulleted("Camera body (weather-sealed, which mattered by seven o'clock)"),
                vec![
                    b::with_children(
                        b::bulleted("Lenses"),
                        vec![
                            b::bulleted("100–400 mm for the birds"),
                            b::bulleted("24–70 mm for the landscape frames"),
                        ],
                    ),
                    b::bulleted("Two spare batteries: the cold halves their life"),
                ],
            ),
            b::bulleted("Notebook and a soft pencil (ink freezes)"),
            b::bulleted(vec![
                t("A thermos of strong tea, "),
                a("non-negotiable", &["bold", "italic"]),
            ]),
            b::heading_2("The loop, step by step"),
            b::numbered("Car park to the first hide along the drove, 1.2 km."),
            b::with_children(
                b::numbered("North bank to the sluice: listen for bearded tits pinging in the reed tops."),
                vec![b::bulleted("They sound like someone flicking a tuning fork.")],
            ),
            b::numbered("Back along the carr edge, where a woodcock flushed from under my feet."),
            b::file(
                b::hosted(&m.track),
                "The walk as a GPX track, for your own map app.",
                "hollow-fen-loop.gpx",
            ),
            b::heading_2("First reed warbler"),
            p(vec![
                t("Just before nine, a churring stutter from the reed fringe: the first "),
                a("reed warbler", &["bold", "italic"]),
                t(" of the year, a week earlier than last spring. I held the phone up for a few seconds, wind and all."),
            ]),
            b::audio(b::hosted(&m.song), "Reed warbler, north reedbed, 08:52."),
            b::quote(vec![
                t("The fen does not care whether you come. That is the best thing about it."),
            ]),
            b::with_id(
                b::synced_original(vec![
                    b::callout(
                        vec![
                            a("Field ethics. ", &["bold"]),
                            t("Keep to the paths, never flush a bird for a picture, and leave the hides as you found them. If a harrier sits tight on a nest, you are too close."),
                        ],
                        b::emoji("🪶"),
                    ),
                    p(vec![
                        t("Nesting birds of Schedule 1 are protected by law: see the "),
                        l(
                            "Wildlife and Countryside Act 1981",
                            "https://www.legislation.gov.uk/ukpga/1981/69",
                        ),
                        t("."),
                    ]),
                ]),
                FIELD_ETHICS,
            ),
            b::divider(),
            b::heading_3("Next visit"),
            b::to_do("Check the sluice hide for bearded tits", true),
            b::to_do("Bring the hydrophone for the water beetles", false),
            b::to_do("Photograph the mere at dusk in June", false),
        ],
    );
    ws.set_icon(&fen, b::emoji("🌾"));
    ws.set_cover(&fen, b::hosted(&m.fen_dawn));

    // ---------------------------------------------------------------- 2. Lichens (April)
    let lichen = ws.add_row(
        &db,
        json!({
            "Name": "Forty shades of lichen",
            "Published": true,
            "Date": "2026-04-02",
            "Tags": ["Lichens", "Field craft"],
            "Location": "Drystone walls above Askrigg"
        }),
        vec![
            p(vec![
                t("Lichens are the slowest photographs in the world. Look closely at any old wall and you will find a palette that would embarrass a paint catalogue."),
            ]),
            p(vec![
                t("Along one churchyard wall I counted "),
                a("grey", &["color:gray"]),
                t(" crusts of Lecanora, "),
                a("brown", &["color:brown"]),
                t(" Verrucaria on the wet footings, "),
                a("orange", &["color:orange"]),
                t(" Xanthoria where the jackdaws perch, "),
                a("yellow", &["color:yellow"]),
                t(" Candelariella, "),
                a("green", &["color:green"]),
                t(" Flavoparmelia and a "),
                a("blue", &["color:blue"]),
                t("-grey Physcia. Off the wall: the "),
                a("pink", &["color:pink"]),
                t(" fruit of candy lichen on a peaty bank, the "),
                a("red", &["color:red"]),
                t(" caps of Cladonia, and the plain crusts that once gave "),
                a("purple", &["color:purple"]),
                t(" cudbear dye."),
            ]),
            p(vec![
                t("In my notebook I colour-code records by substrate: "),
                a("stone", &["color:gray_background"]),
                t(", "),
                a("bark", &["color:brown_background"]),
                t(", "),
                a("soil", &["color:orange_background"]),
                t(", "),
                a("brick", &["color:yellow_background"]),
                t(", "),
                a("moss", &["color:green_background"]),
                t(", "),
                a("shore rock", &["color:blue_background"]),
                t(", "),
                a("bone", &["color:purple_background"]),
                t(", "),
                a("glass", &["color:pink_background"]),
                t(", "),
                a("unsure", &["color:default_background"]),
                t(", and "),
                a("anything on the Red List", &["bold", "color:red_background"]),
                t("."),
            ]),
            b::with_color(b::heading_2("Reading a wall"), "orange"),
            b::image(
                b::hosted(&m.lichen),
                vec![
                    t("Xanthoria and Lecanora on granite, "),
                    a("× 3", &["italic"]),
                    t(". Focus-stacked from 14 frames."),
                ],
            ),
            b::column_list(vec![
                b::column_with_ratio(
                    0.625,
                    vec![
                        p(vec![
                            t("Field guides used to call Xanthoria "),
                            a("pollution-intolerant", &["strikethrough"]),
                            t(" and it is the opposite: it is "),
                            a("nitrogen-loving", &["bold"]),
                            t(", and thrives on farm dust and bird droppings. Which is why it glows on every gatepost in the county."),
                        ]),
                        p(vec![
                            t("I log each record as "),
                            a("SITE-YYYYMMDD-NN", &["code"]),
                            t(" and photograph "),
                            a("every", &["bold", "italic", "underline"]),
                            t(" specimen before touching it with a reagent."),
                        ]),
                    ],
                ),
                b::column_with_ratio(
                    0.375,
                    vec![b::with_children(
                        b::callout("Spot-test kit", b::hosted(&m.rosette)),
                        vec![
                            b::bulleted("Hand lens, ×10"),
                            b::bulleted("K: potassium hydroxide, 10 %"),
                            b::bulleted("C: household bleach"),
                            b::bulleted("A dropper per reagent, labelled"),
                        ],
                    )],
                ),
            ]),
            b::heading_2("Spot tests"),
            b::table_of_rows(
                4,
                true,
                true,
                vec![
                    b::table_row(vec![
                        json!([t("Species")]),
                        json!([t("K")]),
                        json!([t("C")]),
                        json!([t("Substrate")]),
                    ]),
                    b::table_row(vec![
                        json!([a("Xanthoria parietina", &["italic"])]),
                        json!([a("+ purple", &["color:purple"])]),
                        json!([t("−")]),
                        json!([t("bark, stone")]),
                    ]),
                    b::table_row(vec![
                        json!([a("Lecanora muralis", &["italic"])]),
                        json!([t("−")]),
                        json!([t("−")]),
                        json!([t("concrete, tarmac")]),
                    ]),
                    b::table_row(vec![
                        json!([a("Ochrolechia parella", &["italic"])]),
                        json!([t("−")]),
                        json!([a("+ red", &["color:red"])]),
                        json!([t("siliceous rock")]),
                    ]),
                    b::table_row(vec![
                        json!([a("Candelariella vitellina", &["italic"])]),
                        json!([t("−")]),
                        json!([t("−")]),
                        json!([t("stone")]),
                    ]),
                ],
            ),
            b::heading_2("How old is that rosette?"),
            p(vec![
                t("Lichenometry dates a surface by its largest lichen. After a colonisation lag "),
                eq("t_0"),
                t(", a thallus grows at a roughly constant radial rate "),
                eq("r \\approx 0.5\\,\\mathrm{mm\\,yr^{-1}}"),
                t(", so one of diameter "),
                eq("d"),
                t(" has an age near"),
            ]),
            b::equation("t \\approx t_0 + \\frac{d}{r}"),
            p(vec![
                t("The biggest rosette on the 1887 lychgate is 30 mm across, which gives "),
                eq("t \\approx 15 + 30/0.5 = 75"),
                t(" years. Too young by half: the stone was scrubbed in the 1950s, and the parish record says so."),
            ]),
            b::toggle(
                "Why not just scrape off a sample?",
                vec![p(vec![t(
                    "Because a 30 mm Rhizocarpon may be older than the church roof. Photograph, test a fragment that has already fallen, and leave the rest.",
                )])],
            ),
            with_caption(
                b::bookmark("https://www.britishlichensociety.org.uk/"),
                vec![t("The British Lichen Society: keys, recording schemes, courses.")],
            ),
        ],
    );
    ws.set_icon(&lichen, b::hosted(&m.rosette));
    ws.set_cover(
        &lichen,
        b::external("https://images.unsplash.com/photo-1501785888041-af3ef285b470?w=1600"),
    );
    let lichen_url = ws.page(&lichen)["url"].as_str().unwrap().to_string();

    // ---------------------------------------------------------------- 3. Waders (April)
    let waders = ws.add_row(
        &db,
        json!({
            "Name": "Counting waders by the numbers",
            "Published": true,
            "Date": "2026-04-19",
            "Tags": ["Birds", "Data"],
            "Description": "How a monthly estuary count becomes a population estimate: capture–recapture, a diversity index, and thirty lines of Python."
        }),
        vec![
            p(vec![
                t("Once a month, on the Sunday nearest the spring tide, eight of us count every wader on the Ouse estuary for the "),
                l("Wetland Bird Survey", "https://www.bto.org/our-science/projects/wetland-bird-survey"),
                t(". It is cold, it is muddy, and it produces some of the longest-running wildlife data in the country."),
            ]),
            b::heading_1("The counts"),
            b::image(
                b::hosted(&m.chart),
                "Weekly peaks, January to March: curlew (brown) and redshank (red).",
            ),
            b::heading_2("Estimating what we miss"),
            p(vec![
                t("Nobody sees every bird. Colour-ringed redshank let us estimate the total with the Lincoln–Petersen estimator: if "),
                eq("M"),
                t(" birds carry rings, we see "),
                eq("n"),
                t(" birds, and "),
                eq("m"),
                t(" of those are ringed, then"),
            ]),
            b::equation("\\hat{N} = \\frac{M\\,n}{m}"),
            p(vec![
                t("With 64 ringed, 412 seen and 19 ringed among them, "),
                eq("\\hat{N} = 64 \\times 412 / 19 \\approx 1388"),
                t(": more than three times what we counted on the mud."),
            ]),
            b::heading_2("How diverse is the estuary?"),
            p(vec![
                t("Shannon's index weighs each species by its share "),
                eq("p_i"),
                t(" of the "),
                eq("S"),
                t(" species present:"),
            ]),
            b::equation("H' = -\\sum_{i=1}^{S} p_i \\ln p_i"),
            with_caption(
                b::code(
                    r#"from math import log

counts = {"redshank": 412, "curlew": 77, "dunlin": 1290,
          "oystercatcher": 310, "black-tailed godwit": 188}

def shannon(counts):
    total = sum(counts.values())
    return -sum(c / total * log(c / total) for c in counts.values() if c)

def lincoln_petersen(marked, seen, recaptured):
    return marked * seen / recaptured

print(f"H' = {shannon(counts):.2f}")
print(f"N  = {lincoln_petersen(64, 412, 19):.0f}")
"#,
                    "python",
                ),
                vec![t("Python 3, no dependencies.")],
            ),
            p(vec![t("The count-sheet importer is written in Rust, so here is the same index there:")]),
            b::code(
                r#"/// Shannon diversity H' of a set of counts (zeros are ignored).
fn shannon(counts: &[u32]) -> f64 {
    let total: u32 = counts.iter().sum();
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / f64::from(total);
            -p * p.ln()
        })
        .sum()
}
"#,
                "rust",
            ),
            p(vec![t("And the one-liner I actually use on the night, for the five biggest flocks:")]),
            b::code(
                "curl -s https://example.org/wader-counts/2026-04.csv \\\n  | cut -d, -f2,3 | sort -t, -k2 -nr | head -5\n",
                "shell",
            ),
            b::code(
                r#"{
  "site": "Ouse estuary",
  "date": "2026-04-19",
  "tide": { "height_m": 6.8, "time": "11:42" },
  "sectors": ["A", "B", "C", "D", "E", "F"],
  "counts": { "redshank": 412, "curlew": 77, "dunlin": 1290 }
}
"#,
                "json",
            ),
            b::toggle_heading(
                3,
                "Raw counts, April",
                vec![b::table(
                    true,
                    false,
                    vec![
                        vec!["Species", "A", "B", "C", "Total"],
                        vec!["Dunlin", "520", "610", "160", "1290"],
                        vec!["Redshank", "188", "131", "93", "412"],
                        vec!["Oystercatcher", "95", "140", "75", "310"],
                        vec!["Black-tailed godwit", "0", "188", "0", "188"],
                        vec!["Curlew", "31", "22", "24", "77"],
                    ],
                )],
            ),
            b::heading_2("Rules of the count"),
            set_field(
                b::numbered("Count from the sea wall, never from the mud."),
                "list_format",
                json!("letters"),
            ),
            b::numbered("Split big flocks by sector, then add up."),
            b::numbered("Note every disturbance: dogs, kites, jet skis, us."),
            p(vec![t("After the count:")]),
            set_field(
                b::numbered("Read rings through the scope at 60×, in that order: left leg, right leg."),
                "list_start_index",
                json!(4),
            ),
            b::numbered("Enter the sheet the same evening, while the handwriting still makes sense."),
            b::callout(
                vec![
                    t("Want to help? Counters are always needed, and no experience is required for the first winter. "),
                    custom_emoji_mention("curlew"),
                ],
                b::custom_emoji("curlew", &custom_emoji_url("curlew")),
            ),
        ],
    );
    ws.set_icon(&waders, b::emoji("🧮"));
    ws.set_cover(&waders, b::hosted(&m.estuary));

    // ---------------------------------------------------------------- 4. Kest (May)
    let kest = ws.add_row(
        &db,
        json!({
            "Name": "Three days on the Isle of Kest",
            "Published": true,
            "Date": "2026-05-12",
            "Tags": ["Travel", "Islands", "Birds"],
            "Location": "Isle of Kest",
            "Distance (km)": 1250,
            "Attachments": [
                b::files_entry("Kest itinerary.pdf", b::hosted(&m.itinerary)),
                b::files_entry("kest-route.svg", b::hosted(&m.map)),
                b::files_entry("Ferry timetable", b::external("https://example.org/kest/ferry-timetable.pdf?season=summer&lang=en"))
            ],
            "Description": "A long weekend on a small western island: a ferry, a seal stack, seabird cliffs, a corncrake, and the itinerary as a PDF."
        }),
        vec![
            b::breadcrumb(),
            p(vec![
                t("From "),
                b::date_mention("2026-05-09", Some("2026-05-11")),
                t(" "),
                b::user_mention(&ines, "Ines Okafor"),
                t(" and I spent three days on Kest, an island of 300 people, 4,000 sheep and more lichen than either."),
            ]),
            p(vec![
                t("If you have read "),
                b::page_mention(&fen, "Hollow Fen"),
                t(" you know I like my landscapes flat. Kest is not flat. Its standing stones got a post of their own, about "),
                l("the lichens", &lichen_url),
                t("."),
            ]),
            b::heading_2("Getting there"),
            b::column_list(vec![
                b::column_with_ratio(
                    0.25,
                    vec![
                        p(vec![a("Ferry", &["bold"])]),
                        p("Port Ellan to Kest, 95 minutes. Sit on the left for the skerries."),
                    ],
                ),
                b::column_with_ratio(
                    0.5,
                    vec![b::image(
                        b::hosted(&m.map),
                        "Sketch map of the route: harbour, Cnoc Mòr, Seal Stack.",
                    )],
                ),
                b::column_with_ratio(
                    0.25,
                    vec![
                        p(vec![a("Bunkhouse", &["bold"])]),
                        p("Twelve beds by the harbour. Book ahead in May."),
                    ],
                ),
            ]),
            b::pdf(
                b::hosted(&m.itinerary),
                "The itinerary we actually kept to (mostly).",
            ),
            b::heading_2("Day one: Cnoc Mòr"),
            b::image(
                b::hosted(&m.kest_cliffs),
                "The north cliffs from the cairn on Cnoc Mòr.",
            ),
            p(vec![
                t("Ines logged everything as we went, into "),
                mention(
                    "link_mention",
                    json!({
                        "href": "https://www.inaturalist.org/projects/isle-of-kest-bioblitz-2026",
                        "title": "Isle of Kest BioBlitz 2026",
                        "description": "Observations from a community BioBlitz on the Isle of Kest.",
                        "link_provider": "iNaturalist",
                        "icon_url": "https://www.inaturalist.org/favicon.ico",
                        "thumbnail_url": "https://static.inaturalist.org/sites/1-logo_square.png"
                    }),
                    "Isle of Kest BioBlitz 2026",
                    Some("https://www.inaturalist.org/projects/isle-of-kest-bioblitz-2026"),
                ),
                t(", from the app whose source is on "),
                mention(
                    "link_preview",
                    json!({"url": "https://github.com/inaturalist/iNaturalistAndroid"}),
                    "https://github.com/inaturalist/iNaturalistAndroid",
                    Some("https://github.com/inaturalist/iNaturalistAndroid"),
                ),
                t("."),
            ]),
            b::heading_2("Day two: the seal stack"),
            p(vec![
                t("We were at the stack by half past five. Forty grey seals hauled out on the falling tide, complaining like a choir warming up, and went back in one by one as the flood came round the point."),
            ]),
            b::image(
                b::hosted(&m.tide),
                "Forty minutes of flood tide at the stack, as a twelve-frame loop.",
            ),
            b::video(
                b::external("https://www.youtube.com/watch?v=Lm4pJ2y7bQo"),
                "The crossing, filmed by the ferry company (YouTube).",
            ),
            with_caption(
                b::embed(
                    "https://www.openstreetmap.org/export/embed.html?bbox=-6.65%2C56.58%2C-6.45%2C56.68&layer=mapnik",
                ),
                vec![t("Where we were, on OpenStreetMap.")],
            ),
            b::synced_copy(FIELD_ETHICS),
            b::heading_2("Day three: machair"),
            p(vec![
                t("On the last morning, in the iris beds behind the beach, a corncrake: two dry rasps, like a comb drawn over a matchbox. We never saw it. "),
                custom_emoji_mention("corncrake"),
            ]),
            b::link_preview("https://github.com/inaturalist/iNaturalistAndroid"),
            with_caption(
                b::bookmark("https://www.calmac.co.uk/"),
                vec![t("Ferry timetables and the weather line.")],
            ),
            b::with_color(
                b::quote("Islands are where you go to find out how much of the mainland you carry with you."),
                "gray",
            ),
        ],
    );
    ws.set_icon(
        &kest,
        b::custom_emoji("puffin", &custom_emoji_url("puffin")),
    );
    ws.set_cover(&kest, b::hosted(&m.kest_shore));

    // ---------------------------------------------------------------- 5. Hollow Fen (June)
    let june = ws.add_row(
        &db,
        json!({
            "Name": "Hollow Fen",
            "Published": true,
            "Date": "2026-06-20",
            "Tags": ["Wetlands", "Photography"],
            "Slug": "hollow-fen-in-june"
        }),
        vec![
            b::callout(
                vec![
                    t("Same fen, three months on. The March visit is "),
                    b::page_mention(&fen, "Hollow Fen"),
                    t("; the lichen notes are "),
                    l("here", &format!("/{}", lichen.replace('-', ""))),
                    t("."),
                ],
                b::emoji("🔁"),
            ),
            b::heading_1("Dusk"),
            p(vec![
                t("Midsummer on the fen is a different country. The reed is head-high, the mere has shrunk to a mirror the size of a football pitch, and at half past nine the swifts come down to drink."),
            ]),
            b::image(
                b::hosted(&m.fen_dusk),
                "Hollow Fen at 21:47, the moon over the carr.",
            ),
            b::image(
                b::external("https://images.unsplash.com/photo-1441974231531-c6227db76b6e?w=1600&q=80"),
                "Not mine: a wood at the same hour, for contrast (Unsplash).",
            ),
            b::heading(4, "Camera settings"),
            b::with_children(
                b::block("tab", json!({})),
                vec![
                    b::with_children(
                        set_field(b::paragraph("Evening"), "icon", b::emoji("🌇")),
                        vec![p("1/60 s, f/5.6, ISO 1600, braced on the hide rail.")],
                    ),
                    b::with_children(
                        set_field(b::paragraph("Night"), "icon", b::emoji("🌙")),
                        vec![p("8 s, f/4, ISO 800, tripod, mirror lock-up.")],
                    ),
                ],
            ),
            b::link_to_page(&fen),
            b::heading_2("Voice notes"),
            b::block(
                "transcription",
                json!({
                    "title": [t("Dusk chorus walk, 20 June")],
                    "status": "notes_ready",
                    "calendar_event": {
                        "start_time": "2026-06-20T20:30:00.000Z",
                        "end_time": "2026-06-20T22:00:00.000Z"
                    },
                    "recording": {
                        "start_time": "2026-06-20T20:34:00.000Z",
                        "end_time": "2026-06-20T21:51:00.000Z"
                    }
                }),
            ),
            b::with_children(
                b::block("template", json!({"rich_text": [t("New sighting")]})),
                vec![
                    p(vec![t("Species: … seen "), mention(
                        "template_mention",
                        json!({"type": "template_mention_date", "template_mention_date": "now"}),
                        "@Now",
                        None,
                    ), t(" by "), mention(
                        "template_mention",
                        json!({"type": "template_mention_user", "template_mention_user": "me"}),
                        "@Me",
                        None,
                    )]),
                    b::to_do("Photo", false),
                ],
            ),
            b::unsupported("form"),
            b::unknown(
                "ai_block",
                json!({"prompt": "Summarise the sightings on this page", "rich_text": []}),
            ),
            b::synced_copy(FIELD_ETHICS),
            b::to_do("Photograph the mere at dusk in June", true),
            b::heading_2("Species log"),
        ],
    );
    let log = ws.add_child_database(
        &june,
        "Species log",
        &[("Count", "number"), ("Where", "select")],
    );
    for (name, count, place) in [
        ("Swift", 60, "Mere"),
        ("Barn owl", 1, "Carr"),
        ("Hobby", 2, "Mere"),
        ("Reed warbler", 14, "Reedbed"),
    ] {
        ws.add_row(
            &log,
            json!({"Name": name, "Count": count, "Where": place}),
            vec![],
        );
    }
    ws.append_blocks(
        &june,
        vec![
            p("The whole log, with every visit since 2019:"),
            b::link_to_database(&log.database_id),
        ],
    );
    ws.set_icon(&june, b::emoji("🌙"));
    ws.set_cover(&june, b::hosted(&m.fen_dusk));

    // ---------------------------------------------------------------- 6. A draft (June)
    let draft = ws.add_row(
        &db,
        json!({
            "Name": "Notes toward a moth trap",
            "Published": false,
            "Date": "2026-06-28",
            "Tags": ["Moths"],
            "Description": "Draft: building a Skinner trap from a storage box and a 20 W actinic tube."
        }),
        vec![
            p("Unfinished. A Skinner trap is a box, a light and some egg trays; the trick is the vanes."),
            b::to_do("Order the 20 W actinic tube", true),
            b::to_do("Cut the vanes from 2 mm acrylic", false),
            b::to_do("Ask the reserve warden about running it by the carr", false),
        ],
    );
    ws.set_icon(&draft, b::native_icon("lightbulb", "yellow"));

    // ---------------------------------------------------------------- About + Gear
    let about = ws.add_page(
        "About",
        vec![
            b::column_list(vec![
                b::column_with_ratio(
                    0.35,
                    vec![b::image(
                        b::hosted(&m.kest_cliffs),
                        "Somewhere under that cliff is me.",
                    )],
                ),
                b::column_with_ratio(
                    0.65,
                    vec![
                        p(vec![
                            t("I'm Mara Lindqvist, an ecologist who spends the working week on survey reports and the weekends on the things that don't fit in them. "),
                            b::user_mention(&ines, "Ines Okafor"),
                            t(" comes along, corrects my bird IDs and writes the better captions."),
                        ]),
                        p(vec![
                            t("Everything here is written in Notion, in the "),
                            b::database_mention(&db.database_id, "Field Notes"),
                            t(" database, and baked into plain pages by notion-bake. How the site is made is in the "),
                            l("colophon", "https://example.org/field-notes/colophon/"),
                            t("."),
                        ]),
                    ],
                ),
            ]),
            b::heading_2("Start here"),
            b::bulleted(vec![b::page_mention(&fen, "Hollow Fen"), t(": the fen in March.")]),
            b::bulleted(vec![
                b::page_mention(&lichen, "Forty shades of lichen"),
                t(": the slowest photographs in the world."),
            ]),
            b::bulleted(vec![
                b::page_mention(&kest, "Three days on the Isle of Kest"),
                t(": an island weekend."),
            ]),
            p(vec![
                t("Say hello: "),
                l("mara@example.org", "mailto:mara@example.org"),
                t("."),
            ]),
        ],
    );
    ws.set_icon(&about, b::emoji("🦉"));
    ws.set_cover(&about, b::hosted(&m.estuary));
    let gear = ws.add_child_page(
        &about,
        "Gear",
        vec![
            b::breadcrumb(),
            p("What goes in the bag, and why. Nothing here is sponsored; most of it is second-hand."),
            b::table(
                true,
                false,
                vec![
                    vec!["Item", "Why", "Weight"],
                    vec!["Weather-sealed body", "Fen mornings are wet", "720 g"],
                    vec!["100–400 mm zoom", "Birds, and lichens from a distance", "1,395 g"],
                    vec!["Hand lens ×10", "Everything small", "30 g"],
                    vec!["Telescope, 60×", "Ring reading on the estuary", "1,800 g"],
                ],
            ),
            b::toggle(
                "What I left behind",
                vec![
                    b::bulleted("The drone: it frightens the birds and annoys the wardens."),
                    b::bulleted("The second body: one is enough if you look harder."),
                ],
            ),
            p("It all got its first real test here:"),
            b::link_to_page(&fen),
        ],
    );
    ws.set_icon(&gear, b::emoji("🎒"));

    // ------------------------------------------- Databases inside the About page
    // A gallery of cards with covers, and a table sorted by date with a hidden column.
    let guide = ws.add_child_database(
        &about,
        "Field guide",
        &[
            ("Habitat", "select"),
            ("Seen", "number"),
            ("Where", "rich_text"),
        ],
    );
    let species = [
        (
            "Reed bunting",
            "Fen",
            14,
            &m.fen_dawn,
            "The fen's loudest resident in March.",
        ),
        (
            "Map lichen",
            "Wall",
            40,
            &m.lichen,
            "Older than the wall it grows on.",
        ),
        (
            "Curlew",
            "Estuary",
            9,
            &m.estuary,
            "Heard long before it is seen.",
        ),
        (
            "Sea campion",
            "Shore",
            22,
            &m.kest_shore,
            "Holding on to the cliff top at Kest.",
        ),
    ];
    for (name, habitat, seen, cover, note) in species {
        let row = ws.add_row(
            &guide,
            json!({"Name": name, "Habitat": habitat, "Seen": seen, "Where": "Notebook 3"}),
            vec![p(note)],
        );
        ws.set_cover(&row, b::hosted(cover));
    }
    let cards = json!({"name": "Cards", "type": "gallery", "configuration": {
    "type": "gallery", "cover": {"type": "page_cover"}, "cover_size": "medium",
    "properties": [
        {"property_id": ws.property_id(&guide, "Habitat")},
        {"property_id": ws.property_id(&guide, "Seen")}
    ]}});
    ws.set_views(&guide, vec![cards]);

    let trips = ws.add_child_database(
        &about,
        "Trip log",
        &[
            ("Date", "date"),
            ("Place", "select"),
            ("Distance (km)", "number"),
            ("Tide note", "rich_text"),
        ],
    );
    let log = [
        ("Dawn count", "2026-03-14", "Hollow Fen", 6.5, Some(&fen)),
        ("Wall survey", "2026-04-02", "Long Lane", 2.0, Some(&lichen)),
        (
            "High tide roost",
            "2026-04-19",
            "The estuary",
            11.0,
            Some(&waders),
        ),
        (
            "Island weekend",
            "2026-05-12",
            "Isle of Kest",
            23.5,
            Some(&kest),
        ),
        ("Moth trap test", "2026-06-28", "Garden", 0.0, None),
    ];
    for (name, date, place, km, post) in log {
        let content = match post {
            Some(post) => vec![p(vec![
                t("Written up in "),
                b::page_mention(post, name),
                t("."),
            ])],
            None => Vec::new(),
        };
        ws.add_row(
            &trips,
            json!({"Name": name, "Date": date, "Place": place, "Distance (km)": km, "Tide note": "kept private"}),
            content,
        );
    }
    let table = json!({"name": "By date", "type": "table",
    "sorts": [{"property": "Date", "direction": "descending"}],
    "configuration": {"type": "table", "properties": [
        {"property_id": "title", "width": 200},
        {"property_id": ws.property_id(&trips, "Date"), "width": 140},
        {"property_id": ws.property_id(&trips, "Place")},
        {"property_id": ws.property_id(&trips, "Distance (km)")},
        {"property_id": ws.property_id(&trips, "Tide note"), "visible": false}
    ]}});
    ws.set_views(&trips, vec![table]);

    // Created times follow the post dates, in the evening when posts get written.
    for (page, day) in [
        (&fen, (3, 14)),
        (&lichen, (4, 2)),
        (&waders, (4, 19)),
        (&kest, (5, 12)),
        (&june, (6, 20)),
        (&draft, (6, 28)),
        (&about, (2, 1)),
        (&gear, (2, 1)),
    ] {
        use chrono::TimeZone;
        let when = chrono::Utc
            .with_ymd_and_hms(2026, day.0, day.1, 20, 30, 0)
            .unwrap();
        ws.set_created_time(page, when);
    }

    Ids {
        database: db,
        posts: vec![fen, lichen, waders, kest, june],
        draft,
        about,
        gear,
    }
}
