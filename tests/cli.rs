//! The command line as a user meets it: exit codes, messages that name the
//! file and place, atomic outputs, options that change what is written.

mod common;

use std::fs;

use common::*;
use oxigraph::io::RdfFormat;

/// A folder holding `a.txt` with `text`, built into `out` (exit 0).
fn built(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), text).unwrap();
    let o = stratagraph(dir.path(), &["build", "a.txt", "--out", "out", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    dir
}

/// The two columns of a SELECT over the graph a [`built`] folder holds.
fn pairs(dir: &tempfile::TempDir, query: &str) -> Vec<(String, String)> {
    let store = store_from(&dir.path().join("out/graph.nq"), RdfFormat::NQuads);
    select(&store, query)
        .iter()
        .map(|r| (value(&r[0]), value(&r[1])))
        .collect()
}

#[test]
fn a_missing_input_is_named_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let o = stratagraph(dir.path(), &["build", "no/such/dir", "--out", "out"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no/such/dir"), "{}", stderr(&o));
    assert!(
        !dir.path().join("out").exists(),
        "no output for a failed run"
    );
}

#[test]
fn binary_and_invalid_files_are_skipped_with_their_offset() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir_all(docs.join("sub")).unwrap();
    fs::write(
        docs.join("a.txt"),
        "NATO trains the Iraqi Security Forces in Baghdad.",
    )
    .unwrap();
    fs::write(docs.join("sub/bin.txt"), b"abc\x00\x01\x02").unwrap();
    fs::write(docs.join("bad.md"), b"Iraq \xC3\x28 here").unwrap();
    fs::write(docs.join("empty.txt"), b"").unwrap();
    fs::write(docs.join("ignored.csv"), b"not,a,document").unwrap();
    let o = stratagraph(dir.path(), &["build", "docs", "--out", "out"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("bin.txt") && err.contains("NUL byte at byte offset 3"),
        "{err}"
    );
    assert!(
        err.contains("bad.md") && err.contains("invalid UTF-8 at byte offset 5"),
        "{err}"
    );
    assert!(err.contains("documents: 2 read"), "{err}");
    assert!(err.contains("2 skipped"), "{err}");
    let quads = parse(&dir.path().join("out/graph.nq"), RdfFormat::NQuads);
    let text: String = quads.iter().map(|q| q.to_string()).collect();
    assert!(
        text.contains("sg:trains") || text.contains("ontology#trains"),
        "the good file was read"
    );
    assert!(text.contains("empty.txt"), "an empty file is a document");
}

#[test]
fn an_empty_corpus_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("empty.txt"), "").unwrap();
    let o = stratagraph(dir.path(), &["build", "empty.txt", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    parse(&dir.path().join("out/graph.ttl"), RdfFormat::Turtle);
}

#[test]
fn an_ontology_syntax_error_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "Iraq.").unwrap();
    fs::write(
        dir.path().join("mine.ttl"),
        "@prefix sg: <https://w3id.org/stratagraph/ontology#> .\n\n<x> a sg:State ;; oops .\n",
    )
    .unwrap();
    let o = stratagraph(
        dir.path(),
        &["build", "a.txt", "--ontology", "mine.ttl", "--out", "out"],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("mine.ttl:3:"), "file and line: {err}");
}

#[test]
fn a_user_ontology_adds_actors_and_cues_without_recompiling() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.txt"),
        "The Zorgon Brigade bombarded Erbil in 2024. The Zorgon Brigade is unknown elsewhere.",
    )
    .unwrap();
    fs::write(
        dir.path().join("mine.ttl"),
        "@prefix sg: <https://w3id.org/stratagraph/ontology#> .\n\
         @prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\
         <urn:x:zorgon> a sg:ArmedGroup ; skos:prefLabel \"Zorgon Brigade\" .\n\
         sg:attacks sg:verbCue \"bombard\" .\n",
    )
    .unwrap();
    let o = stratagraph(
        dir.path(),
        &["build", "a.txt", "--ontology", "mine.ttl", "--out", "out"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let store = store_from(&dir.path().join("out/graph.ttl"), RdfFormat::Turtle);
    let found = ask(
        &store,
        "ASK { <https://w3id.org/stratagraph/id/zorgon-brigade> \
         <https://w3id.org/stratagraph/ontology#attacks> <https://w3id.org/stratagraph/id/erbil> }",
    );
    assert!(found, "the user's actor and cue give a relation");
}

#[test]
fn base_and_formats_change_the_output() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.txt"),
        "NATO Mission Iraq trains the Iraqi Security Forces.",
    )
    .unwrap();
    let o = stratagraph(
        dir.path(),
        &[
            "build",
            "a.txt",
            "--out",
            "out",
            "--base",
            "http://example.org/kg/",
            "-f",
            "ntriples",
            "-f",
            "trig",
            "-f",
            "rdfxml",
            "-f",
            "jsonld",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = dir.path().join("out");
    for (file, format) in [
        ("graph.nt", RdfFormat::NTriples),
        ("graph.trig", RdfFormat::TriG),
        ("graph.rdf", RdfFormat::RdfXml),
        (
            "graph.jsonld",
            RdfFormat::JsonLd {
                profile: Default::default(),
            },
        ),
    ] {
        let quads = parse(&out.join(file), format);
        assert!(
            quads
                .iter()
                .any(|q| q.subject.to_string() == "<http://example.org/kg/nato-mission-iraq>"),
            "{file} uses the base"
        );
    }
    assert!(
        !out.join("graph.ttl").exists(),
        "only the formats asked for"
    );
}

#[test]
fn the_same_input_gives_byte_identical_output() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = seeds();
    for out in ["one", "two"] {
        let o = stratagraph(
            dir.path(),
            &["build", seeds.to_str().unwrap(), "--out", out, "-q"],
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    for file in ["graph.ttl", "graph.nq"] {
        let a = fs::read(dir.path().join("one").join(file)).unwrap();
        let b = fs::read(dir.path().join("two").join(file)).unwrap();
        assert!(a == b, "{file} differs between runs");
    }
    let leftovers: Vec<_> = fs::read_dir(dir.path().join("one"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".stratagraph-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn help_lists_commands_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let o = stratagraph(dir.path(), &["build", "--help"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success());
    for word in ["--out", "--format", "--base", "--ontology", "Exit status"] {
        assert!(out.contains(word), "help mentions {word}");
    }
}

#[test]
fn hostile_names_and_file_names_come_out_parseable_and_intact() {
    let dir = tempfile::tempdir().unwrap();
    let name = "Evil \"Q\" \\ <&> `Group` =cmd|' /C calc'!A0";
    fs::write(
        dir.path().join("weird #1 ü%.txt"),
        format!("The {name} attacked Baghdad\u{7} in 2021. Then\ttabs."),
    )
    .unwrap();
    let label = name.replace('\\', "\\\\").replace('"', "\\\"");
    fs::write(
        dir.path().join("mine.ttl"),
        format!(
            "@prefix sg: <https://w3id.org/stratagraph/ontology#> .\n\
             @prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\
             <urn:x:evil> a sg:ArmedGroup ; skos:prefLabel \"{label}\" .\n"
        ),
    )
    .unwrap();
    let o = stratagraph(
        dir.path(),
        &[
            "build",
            ".",
            "--ontology",
            "mine.ttl",
            "--out",
            "out",
            "-f",
            "turtle",
            "-f",
            "nquads",
            "-f",
            "ntriples",
            "-f",
            "trig",
            "-f",
            "rdfxml",
            "-f",
            "jsonld",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = dir.path().join("out");
    for (file, format) in [
        ("graph.ttl", RdfFormat::Turtle),
        ("graph.nq", RdfFormat::NQuads),
        ("graph.nt", RdfFormat::NTriples),
        ("graph.trig", RdfFormat::TriG),
        ("graph.rdf", RdfFormat::RdfXml),
        (
            "graph.jsonld",
            RdfFormat::JsonLd {
                profile: Default::default(),
            },
        ),
    ] {
        let quads = parse(&out.join(file), format);
        let labels: Vec<String> = quads
            .iter()
            .filter(|q| q.predicate.as_str().ends_with("#label"))
            .filter_map(|q| match &q.object {
                oxigraph::model::Term::Literal(l) => Some(l.value().to_string()),
                _ => None,
            })
            .collect();
        assert!(
            labels.iter().any(|l| l == name),
            "{file}: label intact in {labels:?}"
        );
        assert!(
            quads
                .iter()
                .any(|q| q.object.to_string().contains("weird #1 ü%.txt")),
            "{file}: file name intact"
        );
    }
}

#[test]
fn names_outside_the_gazetteer_are_found_typed_and_listed() {
    let dir = built(
        "The Zarqa Defence Brigade (ZDB) attacked the Iraqi Ministry of Water Resources in 2021. \
         Later the ZDB struck Erbil. Prime Minister Hamid Qasim al-Sufi condemned the ZDB.\n",
    );
    let store = store_from(&dir.path().join("out/graph.nq"), RdfFormat::NQuads);
    let id = "https://w3id.org/stratagraph/id/";
    let sg = "https://w3id.org/stratagraph/ontology#";
    for (s, p, o) in [
        (
            "zarqa-defence-brigade",
            "attacks",
            "iraqi-ministry-of-water-resources",
        ),
        ("zarqa-defence-brigade", "attacks", "erbil"),
        ("hamid-qasim-al-sufi", "opposes", "zarqa-defence-brigade"),
    ] {
        assert!(
            ask(&store, &format!("ASK {{ <{id}{s}> <{sg}{p}> <{id}{o}> }}")),
            "{s} {p} {o}"
        );
    }
    for (e, class) in [
        ("zarqa-defence-brigade", "ArmedGroup"),
        ("iraqi-ministry-of-water-resources", "StateAgency"),
        ("hamid-qasim-al-sufi", "Person"),
    ] {
        assert!(
            ask(&store, &format!("ASK {{ <{id}{e}> a <{sg}{class}> }}")),
            "{e} is a {class}"
        );
    }
    // The acronym bound to the brigade is one of its names.
    assert!(ask(
        &store,
        &format!("ASK {{ <{id}zarqa-defence-brigade> <http://www.w3.org/2004/02/skos/core#altLabel> \"ZDB\" }}")
    ));
    let tsv = fs::read_to_string(dir.path().join("out/candidates.tsv")).unwrap();
    let mut rows = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .from_reader(tsv.as_bytes());
    let headers: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers,
        [
            "entity",
            "name",
            "class",
            "rule",
            "mentions",
            "documents",
            "example"
        ]
    );
    let first: Vec<String> = rows
        .records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(
        first[0],
        format!("{id}zarqa-defence-brigade"),
        "the key: {tsv}"
    );
    assert_eq!(
        first[1], "Zarqa Defence Brigade",
        "most mentioned first: {tsv}"
    );
    assert_eq!(first[4], "4");
}

/// Places no gazetteer entry names are typed by the list of the world's
/// places, whatever their spelling of the Arabic article or final "h"; a
/// common word that some village is called stays no place; a broken list
/// stops the run naming its line.
/// The longest name wins and spellings meet: an alias that is part of a
/// longer name names another entity (a family name, an acronym opening
/// another mission's name, a generic tail, a city before "Airport"), and
/// another transliteration of a listed name is that entry, its spelling
/// an alias.
#[test]
fn aliases_do_not_swallow_longer_names_and_spellings_meet() {
    let dir = built(
        "EUAM Georgia trained border guards in Tbilisi, while EUAM Iraq advised the \
         Ministry of Interior in Baghdad.\n\
         Ammar al-Hakim met Mohammed Baqir al-Hakim's son in Najaf.\n\
         The Iraqi National Security Council met on Monday, and the UN Security Council \
         met on Tuesday.\n\
         Rockets hit Erbil International Airport last night.\n\
         Qasim Sulaimani visited Beirut.\n\
         Kadhimi met the envoy. His rival Hassan al-Kadhimi spoke in Basra.\n\
         Syria's Interior Ministry said it had arrested five men, and Turkey's Defence \
         Ministry said its drones struck them; Iraq's Interior Ministry was silent.\n",
    );
    let named: std::collections::BTreeSet<(String, String)> = pairs(
        &dir,
        "PREFIX sg: <https://w3id.org/stratagraph/ontology#> \
         PREFIX skos: <http://www.w3.org/2004/02/skos/core#> \
         SELECT ?label ?surface WHERE { GRAPH ?g { ?m sg:surface ?surface ; sg:entity ?e } \
         GRAPH ?h { ?e skos:prefLabel ?label } }",
    )
    .into_iter()
    .collect();
    let has =
        |label: &str, surface: &str| named.contains(&(label.to_string(), surface.to_string()));
    for (label, surface) in [
        ("EUAM Georgia", "EUAM Georgia"),
        ("EUAM Iraq", "EUAM Iraq"),
        ("Ammar al-Hakim", "Ammar al-Hakim"),
        ("Mohammed Baqir al-Hakim", "Mohammed Baqir al-Hakim"),
        (
            "Iraqi National Security Council",
            "Iraqi National Security Council",
        ),
        ("United Nations Security Council", "UN Security Council"),
        ("Erbil International Airport", "Erbil International Airport"),
        ("Qassem Soleimani", "Qasim Sulaimani"),
        ("Mustafa al-Kadhimi", "Kadhimi"),
        ("Hassan al-Kadhimi", "Hassan al-Kadhimi"),
        // Another state's ministry after its possessive, called by its
        // demonym; Iraq's own is the gazetteer's.
        ("Syrian Interior Ministry", "Interior Ministry"),
        ("Turkish Defence Ministry", "Defence Ministry"),
        ("Iraqi Ministry of Interior", "Interior Ministry"),
    ] {
        assert!(
            has(label, surface),
            "{label} as {surface:?} not in {named:?}"
        );
    }
    for (label, surface) in [
        ("EUAM Iraq", "EUAM"),
        ("United Nations Security Council", "Security Council"),
        ("Mustafa al-Kadhimi", "al-Kadhimi"),
    ] {
        assert!(!has(label, surface), "{label} as {surface:?} in {named:?}");
    }
    // The other mission takes the class of the one whose acronym it shares.
    let tsv = fs::read_to_string(dir.path().join("out/candidates.tsv")).unwrap();
    assert!(
        tsv.lines().any(|l| l.split('\t').skip(1).take(3).eq([
            "EUAM Georgia",
            "Mission",
            "name.sibling"
        ])),
        "{tsv}"
    );
    let nq = fs::read_to_string(dir.path().join("out/graph.nq")).unwrap();
    assert!(nq.contains("\"name.spelling-variant\""));
    assert!(nq.contains(
        "<https://w3id.org/stratagraph/id/qassem-soleimani> <http://www.w3.org/2004/02/skos/core#altLabel> \"Qasim Sulaimani\""
    ));
}

/// A title that stood before one person's name names that person where
/// it stands alone ("The Foreign Secretary condemned"), recorded as the
/// document's title form for the person, not as an alias; a title two
/// persons carried, or one qualified by another word ("former", a
/// demonym), names no one.
#[test]
fn a_title_standing_alone_names_the_one_person_who_held_it() {
    let dir = built(
        "Foreign Secretary Boris Johnson met Russian Foreign Minister Sergei Lavrov in \
         New York. The Foreign Secretary condemned the attack on Aleppo. Minister Tobias \
         Ellwood visited Tashkent. Minister Alistair Burt visited Amman. The Minister \
         praised the reforms. The former Foreign Secretary was silent.\n",
    );
    let titles: Vec<(String, String)> = pairs(
        &dir,
        "PREFIX sg: <https://w3id.org/stratagraph/ontology#> \
         PREFIX skos: <http://www.w3.org/2004/02/skos/core#> \
         SELECT ?label ?title WHERE { GRAPH ?g { ?m sg:titleForm ?title ; sg:entity ?e } \
         GRAPH ?h { ?e skos:prefLabel ?label } } ORDER BY ?title",
    );
    assert_eq!(
        titles,
        [("Boris Johnson".to_string(), "Foreign Secretary".to_string())]
    );
    // The sentence that names him by his title alone states his act.
    let store = store_from(&dir.path().join("out/graph.nq"), RdfFormat::NQuads);
    let said = select(
        &store,
        "PREFIX sg: <https://w3id.org/stratagraph/ontology#> \
         SELECT ?rule WHERE { GRAPH ?g { ?ev sg:subjectRule ?rule } }",
    );
    assert!(
        said.iter().any(|r| value(&r[0]) == "name.title-reference"),
        "{said:?}"
    );
    let aliases = select(
        &store,
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> \
         SELECT ?a WHERE { GRAPH ?g { ?e skos:altLabel ?a } FILTER(CONTAINS(?a, \"Secretary\") || CONTAINS(?a, \"Minister\")) }",
    );
    assert!(aliases.is_empty(), "{aliases:?}");
}

/// A capital word the same text writes in lower case elsewhere, and the
/// words of a title cited in quotes, are no names; a person's name is.
#[test]
fn capitals_of_common_words_and_cited_titles_are_no_names() {
    let dir = built(
        "Allies agreed on a plan in Brussels last year. See Burden sharing and Defense \
         spending. Capable partners reduce the burden on one nation and strengthen \
         collective defense. Dive into the research topics of 'Ten Years of Externally \
         Promoted Police Assistance in Libya: Changing Approaches and Their Limits'. \
         Colonel Samir Haddad told Reuters that the plan failed.\n",
    );
    let tsv = fs::read_to_string(dir.path().join("out/candidates.tsv")).unwrap();
    let names: Vec<&str> = tsv
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').nth(1))
        .collect();
    for common in [
        "Burden",
        "Defense",
        "Changing Approaches",
        "Externally Promoted Police Assistance",
    ] {
        assert!(!names.contains(&common), "{common} in {names:?}");
    }
    for name in ["Samir Haddad", "Libya"] {
        assert!(names.contains(&name), "{name} not in {names:?}");
    }
}

#[test]
fn places_of_the_world_are_found_by_the_place_list() {
    let dir = built(
        "Rebels fled from Aleppo to al-Hillah and Al-Raqqa province. \
         Tashkent hosted the talks. More fighters came later.\n",
    );
    let found: Vec<(String, String)> = pairs(
        &dir,
        "PREFIX sg: <https://w3id.org/stratagraph/ontology#> \
         SELECT ?name ?rule WHERE { GRAPH ?g { ?m a sg:Mention ; sg:name ?name ; sg:rule ?rule ; sg:class sg:Place } } ORDER BY ?name",
    );
    for name in ["Aleppo", "al-Hillah", "Al-Raqqa province", "Tashkent"] {
        assert!(
            found
                .iter()
                .any(|(n, rule)| n == name && rule.ends_with("name.place-list")),
            "{name} in {found:?}"
        );
    }
    assert!(!found.iter().any(|(n, _)| n == "More"), "{found:?}");

    // A list naming a class the ontology lacks is refused with its line.
    let onto = dir.path().join("onto");
    fs::create_dir(&onto).unwrap();
    copy_ontology(&onto);
    fs::write(
        onto.join("places.tsv"),
        "# name\tclass\tcountry\tid\tpopulation\nAleppo\tPlace\tSY\t1\t0\nHoms\tCity\tSY\t2\t0\n",
    )
    .unwrap();
    let o = stratagraph(
        dir.path(),
        &[
            "build",
            "a.txt",
            "--out",
            "out2",
            "-q",
            "--ontology-dir",
            "onto",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("places.tsv:3:"),
        "the file and line: {}",
        stderr(&o)
    );
    assert!(!dir.path().join("out2").exists());
}

#[test]
fn explain_marks_the_evidence_of_a_relation() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = seeds();
    let o = stratagraph(
        dir.path(),
        &["build", seeds.to_str().unwrap(), "--out", "out", "-q"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = stratagraph(dir.path(), &["explain", "PMF", "attacks", "United States"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("was repeatedly {targeted} by [S PMF] forces"),
        "{text}"
    );
    assert!(text.contains("rule verb.passive"), "{text}");
    assert!(
        text.contains("gazetteer#pmf"),
        "the matched gazetteer entry: {text}"
    );
    // No such relation: exit 1; unknown name: exit 2.
    let o = stratagraph(dir.path(), &["explain", "NATO", "attacks", "Iraq"]);
    assert_eq!(o.status.code(), Some(1));
    let o = stratagraph(dir.path(), &["explain", "Nobody", "attacks", "Iraq"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Nobody"));
}

/// A reported-speech speaker that is dropped as an unsupported inner name
/// used to leave a dangling index behind and panic the whole run (exit
/// 101, no output for any document).
#[test]
fn a_speaker_inside_a_dropped_name_does_not_end_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir_all(&docs).unwrap();
    fs::write(
        docs.join("a.txt"),
        "The Kadhimi government and the Kadhimi government, Hezbollah said that it would support NATO.",
    )
    .unwrap();
    fs::write(
        docs.join("b.txt"),
        "NATO trains the Iraqi Security Forces in Baghdad.",
    )
    .unwrap();
    let o = stratagraph(dir.path(), &["build", "docs", "--out", "out"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("documents: 2 read"), "{err}");
    let quads = parse(&dir.path().join("out/graph.nq"), RdfFormat::NQuads);
    let text: String = quads.iter().map(|q| q.to_string()).collect();
    assert!(text.contains("a.txt") && text.contains("b.txt"));
}

/// A long run without a full stop (a table pasted flat, a hostile file) is
/// read in bounded pieces: no evidence quotes more than 2,000 bytes, and
/// the graph grows with the input, not with its square.
#[test]
fn a_line_without_full_stops_is_read_in_bounded_pieces() {
    let dir = tempfile::tempdir().unwrap();
    let words = [
        "NATO",
        "trains",
        "the",
        "Iraqi",
        "Security",
        "Forces",
        "in",
        "Baghdad",
        "and",
        "Iran",
        "supports",
        "Hezbollah",
    ];
    let mut text = String::new();
    for i in 0..40_000 {
        text.push_str(words[(i * 7 + i / 12) % words.len()]);
        text.push(' ');
    }
    fs::write(dir.path().join("flat.txt"), &text).unwrap();
    let o = stratagraph(
        dir.path(),
        &["build", "flat.txt", "--out", "out", "-f", "nquads"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let quads = parse(&dir.path().join("out/graph.nq"), RdfFormat::NQuads);
    let quote = "https://w3id.org/stratagraph/ontology#quote";
    let mut quotes = 0;
    for q in &quads {
        if q.predicate.as_str() == quote {
            quotes += 1;
            let oxigraph::model::Term::Literal(l) = &q.object else {
                panic!("a quote is a literal")
            };
            assert!(l.value().len() <= 2000, "{} bytes", l.value().len());
        }
    }
    assert!(quotes > 0, "the pieces still state relations");
    let size = fs::metadata(dir.path().join("out/graph.nq")).unwrap().len();
    assert!(size < 200 * text.len() as u64, "{size} bytes of N-Quads");
}

/// Odd entries below an input folder are skipped with their reason, and
/// the others are read: a dangling link, a link to itself, a link to a
/// parent folder (walked once), a FIFO (not opened, so no hang) and a link
/// to /dev/zero (not read, so no memory run out).
#[cfg(unix)]
#[test]
fn odd_entries_are_skipped_and_the_rest_is_read() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir_all(docs.join("sub")).unwrap();
    fs::write(
        docs.join("a.txt"),
        "NATO trains the Iraqi Security Forces in Baghdad.",
    )
    .unwrap();
    fs::write(docs.join("sub/b.txt"), "Iran supports Hezbollah.").unwrap();
    symlink("nowhere.txt", docs.join("dangling.txt")).unwrap();
    symlink("loop.txt", docs.join("loop.txt")).unwrap();
    symlink("..", docs.join("sub/up")).unwrap();
    symlink("/dev/zero", docs.join("zero.txt")).unwrap();
    let fifo = std::process::Command::new("mkfifo")
        .arg(docs.join("fifo.txt"))
        .status()
        .is_ok_and(|s| s.success());
    let o = stratagraph(dir.path(), &["build", "docs", "--out", "out", "-j", "1"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("documents: 2 read"), "{err}");
    for name in ["dangling.txt", "loop.txt", "zero.txt"] {
        assert!(
            err.contains(&format!("docs/{name}: skipped")),
            "{name}: {err}"
        );
    }
    if fifo {
        assert!(
            err.contains("docs/fifo.txt: skipped: not a regular file"),
            "{err}"
        );
    }
    let quads = parse(&dir.path().join("out/graph.nq"), RdfFormat::NQuads);
    let text: String = quads.iter().map(|q| q.to_string()).collect();
    assert!(text.contains("a.txt") && text.contains("b.txt"));
    assert!(
        !text.contains("up/"),
        "the parent folder is not walked again"
    );
}

/// A file name holding an escape sequence reaches the terminal escaped.
#[cfg(unix)]
#[test]
fn file_names_reach_the_terminal_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir_all(&docs).unwrap();
    fs::write(docs.join("bad\u{1b}[2Jname.txt"), b"\xff\xfe not text").unwrap();
    let o = stratagraph(dir.path(), &["build", "docs", "--out", "out"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert!(err.contains("bad\\u{1b}[2Jname.txt: skipped"), "{err}");
}

/// A file over --max-file-size is skipped with its size, the others built.
#[test]
fn files_over_the_size_limit_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir_all(&docs).unwrap();
    fs::write(docs.join("small.txt"), "Iran supports Hezbollah.").unwrap();
    fs::write(
        docs.join("big.txt"),
        "Iran supports Hezbollah. ".repeat(60_000),
    )
    .unwrap();
    let o = stratagraph(
        dir.path(),
        &["build", "docs", "--out", "out", "--max-file-size", "1"],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("documents: 1 read"), "{err}");
    assert!(
        err.contains("big.txt: skipped: 1500000 bytes, over --max-file-size (1048576 bytes)"),
        "{err}"
    );
}

/// The temporary file a killed run left in the output folder is removed by
/// the next run; a fresh one (a run still writing) is left alone.
#[test]
fn leftovers_of_a_killed_run_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    fs::create_dir_all(&out).unwrap();
    let old = out.join(".stratagraph-killed");
    fs::write(&old, "half a graph").unwrap();
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(an_hour_ago)
        .unwrap();
    let fresh = out.join(".stratagraph-running");
    fs::write(&fresh, "being written").unwrap();
    fs::write(dir.path().join("a.txt"), "Iran supports Hezbollah.").unwrap();
    let o = stratagraph(dir.path(), &["build", "a.txt", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!old.exists(), "{}", stderr(&o));
    assert!(stderr(&o).contains("left by an interrupted run"));
    assert!(fresh.exists());
}

/// A build's outputs are one set: a run killed between the renames of
/// its files (graph.ttl new, graph.nq old) leaves a journal, and the next
/// command that reads or writes there completes the set first, so no
/// reader ever sees a new graph.ttl beside an old graph.nq.
#[test]
fn a_run_killed_between_renames_is_completed_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "Iran supports Hezbollah.\n").unwrap();
    let o = stratagraph(dir.path(), &["build", "a.txt", "--out", "out", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = dir.path().join("out");
    let read = |name: &str| fs::read(out.join(name)).unwrap();
    let (old_ttl, old_nq) = (read("graph.ttl"), read("graph.nq"));

    // The second build names a new entity and is killed after its first
    // rename (a hook of write_many_atomically for this test).
    fs::write(
        dir.path().join("b.txt"),
        "Turkey attacked the Zarqa Brigade.\n",
    )
    .unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_stratagraph"))
        .current_dir(dir.path())
        .args(["build", "a.txt", "b.txt", "--out", "out", "-q"])
        .env("STRATAGRAPH_FAIL_AFTER_RENAMES", "1")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(99), "{}", stderr(&o));
    assert!(out.join(".stratagraph-journal").exists());
    let renamed = [read("graph.ttl") != old_ttl, read("graph.nq") != old_nq];
    assert_eq!(
        renamed.iter().filter(|&&r| r).count(),
        1,
        "one file new, one old"
    );

    // A query reads the set completed, and says so.
    let o = stratagraph(
        dir.path(),
        &[
            "query",
            "--graph",
            "out/graph.nq",
            "--results",
            "tsv",
            "SELECT ?l WHERE { ?e rdfs:label ?l FILTER(CONTAINS(?l, \"Zarqa\")) }",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Zarqa"));
    assert!(stderr(&o).contains("interrupted run"), "{}", stderr(&o));
    assert!(!out.join(".stratagraph-journal").exists());
    let ttl = common::parse(&out.join("graph.ttl"), RdfFormat::Turtle);
    let nq = common::parse(&out.join("graph.nq"), RdfFormat::NQuads);
    let names = |quads: &[oxigraph::model::Quad]| {
        quads.iter().any(|q| q.object.to_string().contains("Zarqa"))
    };
    assert!(names(&ttl) && names(&nq), "both files of the new set");
    assert!(fs::read_to_string(out.join("candidates.tsv"))
        .unwrap()
        .contains("Zarqa"));
    let leftovers: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".stratagraph-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// candidates.tsv follows --spreadsheet-safe: a cell a spreadsheet would
/// run as a formula gets a leading quote; without the flag it is as read.
#[test]
fn candidates_can_be_made_spreadsheet_safe() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.txt"),
        "=1+2 said the Zorgon Brigade, which attacked Baghdad.",
    )
    .unwrap();
    let example = |args: &[&str]| -> String {
        let mut all = vec!["build", "a.txt", "--out", "out", "-q"];
        all.extend_from_slice(args);
        let o = stratagraph(dir.path(), &all);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let tsv = fs::read_to_string(dir.path().join("out/candidates.tsv")).unwrap();
        let row = tsv
            .lines()
            .find(|l| l.contains("\tZorgon Brigade\t"))
            .unwrap_or_else(|| panic!("{tsv}"))
            .to_string();
        row.rsplit('\t').next().unwrap().to_string()
    };
    assert!(example(&[]).starts_with("=1+2"));
    assert!(example(&["--spreadsheet-safe"]).starts_with("'=1+2"));
}

/// The stream mode: each good line's graph comes out as N-Quads; a bad
/// line is named by its number and skipped (exit 1); one id twice stops.
#[test]
fn extract_streams_json_lines_and_names_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let input = concat!(
        "{\"id\": \"a/one.txt\", \"text\": \"NATO trains the Iraqi Security Forces.\"}\n",
        "{\"id\": \"two.txt\"\n",
        "\n",
        "{\"id\": \"three.txt\", \"text\": \"Iran supports the Popular Mobilization Forces.\"}\n",
    );
    let o = stratagraph_stdin(dir.path(), &["extract", "--jsonl"], input);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("<stdin>:2:"), "{}", stderr(&o));
    let quads = parse_bytes(&o.stdout, RdfFormat::NQuads, "extract's output");
    let graphs: std::collections::BTreeSet<String> =
        quads.iter().map(|q| q.graph_name.to_string()).collect();
    assert_eq!(
        graphs.into_iter().collect::<Vec<_>>(),
        [
            "<https://w3id.org/stratagraph/id/doc/a/one.txt>",
            "<https://w3id.org/stratagraph/id/doc/three.txt>"
        ],
        "one graph a document, nothing else"
    );
    assert!(
        quads.iter().any(|q| q.predicate.as_str()
            == "http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate"
            && q.object.to_string() == "<https://w3id.org/stratagraph/ontology#trains>"),
        "the statement of 'NATO trains the Iraqi Security Forces'"
    );
    // A byte-order mark opening a text is dropped, as build drops it; a
    // part named as Spark names them merges as N-Quads.
    let plain = "{\"id\": \"b.txt\", \"text\": \"Iran supports the PMF.\"}\n";
    let marked = "{\"id\": \"b.txt\", \"text\": \"\\ufeffIran supports the PMF.\"}\n";
    let a = stratagraph_stdin(dir.path(), &["extract", "--jsonl"], plain);
    let b = stratagraph_stdin(dir.path(), &["extract", "--jsonl"], marked);
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    assert!(a.stdout == b.stdout, "the mark changes nothing");
    fs::write(dir.path().join("part-00000"), &a.stdout).unwrap();
    let o = stratagraph(dir.path(), &["merge", "part-00000", "--out", "m", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(fs::read_to_string(dir.path().join("m/graph.ttl"))
        .unwrap()
        .contains("sg:supports"));
    let twice = "{\"id\": \"x\", \"text\": \"a\"}\n{\"id\": \"x\", \"text\": \"b\"}\n";
    let o = stratagraph_stdin(dir.path(), &["extract", "--jsonl"], twice);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("<stdin>:1 and <stdin>:2"),
        "{}",
        stderr(&o)
    );
}

/// Two files that would be one document stop the build, both named;
/// one file given twice is read once.
#[test]
fn two_inputs_with_one_identity_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["a", "b"] {
        fs::create_dir_all(dir.path().join(sub)).unwrap();
        fs::write(dir.path().join(sub).join("x.txt"), "NATO trains Iraq.").unwrap();
    }
    let o = stratagraph(dir.path(), &["build", "a", "b", "--out", "out", "-q"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("a/x.txt") && err.contains("b/x.txt"), "{err}");
    assert!(!dir.path().join("out/graph.nq").exists(), "nothing written");
    let o = stratagraph(
        dir.path(),
        &["build", "a", "a/x.txt", "./a/x.txt", "--out", "out", "-q"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The common folder gives each its own identity.
    let o = stratagraph(dir.path(), &["build", ".", "--out", "out", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let nq = fs::read_to_string(dir.path().join("out/graph.nq")).unwrap();
    assert!(nq.contains("doc/a/x.txt>") && nq.contains("doc/b/x.txt>"));
}
