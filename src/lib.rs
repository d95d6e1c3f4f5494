//! Stratagraph turns policy texts into a typed knowledge graph.
//!
//! The pipeline, one module a stage, plain types between them:
//! [`ingest`] (files → [`ingest::Document`]) → [`text`] (masking, sentences)
//! → [`extract`] (mentions and relations, with byte offsets) → [`graph`]
//! (a petgraph `StableDiGraph`) → [`rdf`] (quads for oxigraph's
//! serializers). The domain knowledge comes from [`ontology`], read at run
//! time from Turtle.

pub mod build;
pub mod cli;
pub mod error;
pub mod eval;
pub mod explain;
pub mod export;
pub mod extract;
pub mod graph;
pub mod ingest;
pub mod iri;
pub mod merge;
pub mod ontology;
pub mod places;
pub mod query;
pub mod rdf;
pub mod read;
pub mod serve;
pub mod store;
pub mod text;
