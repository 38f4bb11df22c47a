/* src/style/journals.c - the journals' artwork rules, as one data table.
 *
 * Each row holds what a journal's instructions for authors ask of
 * submitted figures: the column widths a figure is printed at, the tallest
 * figure a page holds, the thinnest line that survives printing, the type
 * face and the range of type sizes, and the colour mode.  ft_style sizes
 * and styles a figure from one row; ft_check_svg (check.c) lints any SVG
 * against one.
 *
 * The values come from the journals' published figure guidelines as we
 * know them; journals revise these pages, and where a number is uncertain
 * (a range given, or remembered rather than confirmed) the comment beside
 * the row says so.  Authors should check the current guide before final
 * submission; changing a row here changes every use.
 */
#include "config.h"

#include <strings.h>

#include "core/internal.h"

static const ft_journal journals[] = {
    /* Nature (Nature Portfolio "Preparing figures" / final-submission
     * guide): 89 mm single, 183 mm double column; 1.5 columns is given as
     * a range of 120-136 mm, we use its lower end.  Page depth 247 mm
     * (this includes the legend in print; uncertain whether the figure
     * alone may use all of it).  Lines 0.25-1 pt; Arial or Helvetica,
     * 5-7 pt; RGB artwork. */
    {"nature", "Nature", 89.0, 120.0, 183.0, 247.0, 0.25, "Arial, Helvetica",
     "Arial, Helvetica, sans-serif", 5.0, 7.0, 7.0, "RGB"},
    /* Cell Press (figure guidelines): 85 mm single, 114 mm 1.5, 174 mm
     * full width; maximum height about 225 mm (uncertain).  Arial or
     * Helvetica, 6-8 pt as we recall it (Cell asks for text "legible at
     * final size", the range is uncertain); lines at least 0.5 pt
     * (uncertain); RGB. */
    {"cell", "Cell", 85.0, 114.0, 174.0, 225.0, 0.5, "Arial, Helvetica",
     "Arial, Helvetica, sans-serif", 6.0, 8.0, 7.0, "RGB"},
    /* Science (AAAS instructions for figures): a page of three columns,
     * 5.5 cm one column, 12.0 cm two columns, 18.3 cm three columns; we
     * map single/1.5/double to 1/2/3 columns.  Maximum height about
     * 22.5 cm (uncertain).  Helvetica (Arial accepted); smallest text 5 pt
     * after reduction and labels 7 pt (the upper bound of 9 pt is our own
     * reading, uncertain); lines at least 0.5 pt (uncertain); RGB. */
    {"science", "Science", 55.0, 120.0, 183.0, 225.0, 0.5, "Helvetica, Arial",
     "Helvetica, Arial, sans-serif", 5.0, 9.0, 7.0, "RGB"},
    /* PLOS (figure guidelines): width between 2.63 in (66.8 mm) and
     * 7.5 in (190.5 mm), the text column 5.2 in (132 mm); height at most
     * 8.75 in (222.25 mm).  We take 83 mm as single column (uncertain: a
     * common PLOS single-column width, the guide states only the range),
     * 132 mm as 1.5, 190.5 mm as full width.  Text 8-12 pt in Arial, Times
     * or Symbol; lines at least 0.5 pt (uncertain); RGB.  PLOS asks for
     * text outlined in EPS (figtrace --outline-text). */
    {"plos", "PLOS", 83.0, 132.0, 190.5, 222.25, 0.5, "Arial, Times, Times New Roman, Symbol",
     "Arial, Helvetica, sans-serif", 8.0, 12.0, 8.0, "RGB"},
    /* eLife (author guide): figures are typeset by the journal and the
     * guide gives no fixed widths; 85/120/178 mm follow common two-column
     * layouts and are uncertain, as is the 225 mm height.  Arial or
     * Helvetica, 6-10 pt and lines of at least 0.5 pt are our reading
     * (uncertain); RGB. */
    {"elife", "eLife", 85.0, 120.0, 178.0, 225.0, 0.5, "Arial, Helvetica",
     "Arial, Helvetica, sans-serif", 6.0, 10.0, 8.0, "RGB"},
    /* No journal: generic A4-friendly widths, no limits. */
    {"none", "no journal", 90.0, 140.0, 180.0, 0.0, 0.0, "",
     "Arial, Helvetica, sans-serif", 0.0, 0.0, 8.0, "RGB"},
};

#define NJOURNALS ((int)(sizeof journals / sizeof journals[0]))

const ft_journal *ft_journal_find(const char *name) {
  int i;
  if (!name) return NULL;
  for (i = 0; i < NJOURNALS; i++)
    if (strcasecmp(name, journals[i].name) == 0) return &journals[i];
  return NULL;
}

const ft_journal *ft_journal_at(int i) {
  return i >= 0 && i < NJOURNALS ? &journals[i] : NULL;
}
