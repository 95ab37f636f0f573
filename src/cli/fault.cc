#include "cli/fault.h"

#include <signal.h>
#include <unistd.h>

#include <cstring>

namespace newsarc::cli {
namespace {

char context[160] = "the archive";

void Write(const char* s) {
  ssize_t ignored = write(STDERR_FILENO, s, std::strlen(s));
  (void)ignored;
}

// Only async-signal-safe calls here: write(2) and _exit(2).
void OnFault(int sig) {
  Write("newsarc: ");
  Write(sig == SIGBUS ? "bus error" : "segmentation fault");
  Write(" while reading ");
  Write(context);
  Write(
      ": the archive is damaged (run `newsarc check`; `newsarc export` saves what still reads)."
      " If check passes, this is a bug in newsarc: please report it.\n");
  _exit(4);
}

}  // namespace

void InstallFaultReporter() {
  struct sigaction sa = {};
  sa.sa_handler = OnFault;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND;  // a fault inside the handler gets the default action
  sigaction(SIGSEGV, &sa, nullptr);
  sigaction(SIGBUS, &sa, nullptr);
}

void SetFaultContext(const char* what) {
  std::strncpy(context, what, sizeof context - 1);
  context[sizeof context - 1] = '\0';
}

}  // namespace newsarc::cli
