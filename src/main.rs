fn main() {
    std::process::exit(stratagraph::cli::main());
}
