// Fault reporting: a damaged archive must not end in a bare crash.
//
// LMDB trusts its pages: a flipped bit in a branch page can make a reader
// follow a wild pointer (SIGSEGV) or read past the end of the file (SIGBUS).
// No command can prevent that without re-validating every page, so the CLI
// turns those signals into a clear message, naming what it was reading, and
// exit status 4 (archive error), the status `check` uses for damage.
#pragma once

namespace newsarc::cli {

// Installs handlers for SIGSEGV and SIGBUS. Call once, at start-up.
void InstallFaultReporter();

// What the program reads now, for the message ("story 3 version 2"); the
// text is copied into a fixed buffer. Cheap enough to call per entry.
void SetFaultContext(const char* what);

}  // namespace newsarc::cli
