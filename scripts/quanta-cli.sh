# Sourced by the measurement scripts from the repository root: builds the CLI once (Release) and defines
# `root`, `shared` (../shared beside the repository), `model` (the largest shared model), `quanta_dll` and
# `quanta ARGS…`.
root=$(pwd)
shared="$root/../shared"
model=pythia8k-h128-l4-step1200
dotnet build src/Cli -c Release --nologo -v q > /dev/null
quanta_dll="$root/src/Cli/bin/Release/net10.0/quanta.dll"
quanta() { dotnet "$quanta_dll" "$@"; }
