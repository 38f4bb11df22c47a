/* src/cli/batch.h - the figtrace program's batch machinery.
 *
 * inputs.c turns the command line's inputs (files, directories, "-") into
 * a flat list in a stable order; batch.c converts that list with a pool of
 * worker threads and reports in input order; progress.c draws the progress
 * bar; report.c writes the JSON log lines and the HTML contact sheet.
 * Nothing here is part of the library: it uses only figtrace.h.
 */
#ifndef FT_CLI_BATCH_H
#define FT_CLI_BATCH_H

#include <stdio.h>

#include "figtrace.h"

/* ---- inputs.c ---- */

/* One input after expansion. */
typedef struct cli_input {
  char *path; /* as opened: an argument, or DIR/.../NAME found in a directory; owned */
  char *rel;  /* path below the directory argument it was found in ("sub/a.png"),
                 NULL for an input named on the command line; owned */
} cli_input;

/* How directories are expanded. */
typedef struct cli_walk {
  int recursive;          /* -r: descend into subdirectories */
  const char **patterns;  /* --include globs matched against file names; */
  int npatterns;          /* none: the usual image extensions */
} cli_walk;

/* Expand args[0..nargs): a file or "-" is taken as it is; a directory
 * gives its files (sorted by name, hidden ones skipped, subdirectories only
 * with w->recursive; symbolic links to directories are not followed).  A
 * name that is neither is kept, so its conversion reports the error.
 * On success returns 0 and *out and *n receive the list (free with
 * cli_inputs_free); returns -1 after printing a message on failure. */
int cli_expand_inputs(char *const *args, int nargs, const cli_walk *w, cli_input **out,
                      int *n);
void cli_inputs_free(cli_input *in, int n);

/* 1 when path names a directory (following symbolic links). */
int cli_is_directory(const char *path);

/* mkdir -p: create path and its missing parents (mode 0777 less umask).
 * Returns 0, or -1 with errno set. */
int cli_make_dirs(const char *path);

/* ---- batch.c ---- */

/* One conversion of the plan. */
typedef struct job {
  const char *input; /* file name, "-" for standard input; borrowed */
  char *output;      /* file name, "-" for standard output; owned */
} job;

typedef struct batch_config {
  const ft_options *opt; /* pipeline parameters */
  int verbosity;         /* -1 quiet, 0 normal, 1 verbose, 2 debug */
  int jobs;              /* files converted at once; <= 0: number of CPUs */
  int skip_existing;     /* leave inputs whose output exists alone */
  int sync;              /* --sync: fsync each output (FT_SINK_COMMIT_SYNC) */
  int progress;          /* -1 never, 0 when stderr is a terminal, 1 always */
  const char *log_path;    /* --log FILE or NULL */
  const char *report_path; /* --report FILE.html or NULL */
  const char *labels_path; /* --labels FILE (single input only) or NULL */
} batch_config;

/* Convert jobs[0..njobs) as configured.  Returns the exit status: 0 all
 * converted (or skipped), 1 some failed, 128+N when stopped by signal N. */
int batch_run(const batch_config *cfg, const job *jobs, int njobs);

/* Install the SIGINT/SIGTERM/SIGHUP handlers batch_run relies on. */
void batch_install_signal_handlers(void);

/* ---- progress.c ---- */

typedef struct progress_bar {
  int enabled;
  int total;     /* inputs in the batch */
  int done;      /* finished (converted, failed or skipped) */
  int converted; /* of which converted: the rate counts these */
  double t0;     /* start, monotonic seconds */
  int shown;     /* 1 while a bar is on the terminal line */
} progress_bar;

double cli_now(void);
void progress_start(progress_bar *pb, int enabled, int total);
/* Redraw the bar (rate limited by the caller). */
void progress_draw(progress_bar *pb);
/* Erase the bar so that a message can be printed on a clean line. */
void progress_clear(progress_bar *pb);

/* ---- report.c ---- */

/* What one input came to, for the log and the report. */
typedef enum job_outcome {
  OUTCOME_OK = 0,
  OUTCOME_FAILED,
  OUTCOME_SKIPPED,
  OUTCOME_CANCELLED
} job_outcome;

typedef struct job_result {
  job_outcome outcome;
  char *error;          /* failure message (owned), NULL on success */
  int width, height;    /* of the decoded image, 0 when not read */
  long paths, segments; /* in the written document */
  double seconds;       /* wall time of this input */
  int has_previews;     /* report images were written */
} job_result;

/* Append one JSON line for a job to fp (flushed, one write). */
int report_log_line(FILE *fp, const job *j, const job_result *r);

/* The folder that holds a report's images: "FILE_files" beside FILE
 * (FILE without its .html/.htm extension).  malloc'd, NULL when out of memory. */
char *report_files_dir(const char *report_path);
/* Name of preview image kind ("orig", "vec", "overlay") of job i inside
 * that folder; malloc'd. */
char *report_image_name(int i, const char *kind);
/* Render the three previews of job i (original, vector rendering, overlay)
 * into dir.  Returns FT_OK or the failure (detail in ctx). */
ft_status report_write_previews(ft_ctx *ctx, const char *dir, int i, const ft_image *img,
                                const ft_doc *doc);
/* Write the HTML contact sheet for all jobs (atomically, via a file sink).
 * Returns 0, or -1 after printing a message. */
int report_write_html(const char *report_path, const job *jobs, const job_result *res, int njobs,
                      double seconds);

/* JSON string literal of s (quotes included) into fp: control characters
 * and invalid UTF-8 are escaped/replaced so the line stays valid JSON. */
void json_string(FILE *fp, const char *s);

#endif
