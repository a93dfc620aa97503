/* sp-ledger: the pilot's targets year by year (减排台账) and the district's
 * pollution-carbon synergy (减污降碳协同度). Parses its flag table, one call
 * (sp_ledger_run), the table printed. */
#include "cli/sp_cli.h"
#include "ledger/sp_ledger_run.h"

#include <stdio.h>

static const sp_tool_desc TOOL = {
    .synopsis = "[options] -targets FILE -year YEAR=TOTALS.csv ... OUT.csv",
    .about =
        "Tracks targets such as the pilot's NOx -3,000 t and VOCs -1,200 t (2024-2026), the\n"
        "carbon intensity -18 % against 2020 and the park's carbon and green power, from the\n"
        "inventories of several years (the totals CSVs of sp-inventory -totals: the\n"
        "scenario_t column is that year's inventory) and the park files. OUT.csv has one row\n"
        "per target: the goal, the base year's value, each year's, the cumulative change\n"
        "(the last year against the base year, signed like the goal), the share reached and\n"
        "what remains. -synergy writes the district's 减污降碳协同度 per year: the co-control\n"
        "elasticity on air-pollutant equivalents and the coupling coordination degree;\n"
        "-degree the degrees with fixed bounds (the park's 协同度, a district's against\n"
        "bounds other cities share through -bounds). Outputs are written together or not\n"
        "at all.\n",
    .notes =
        "The targets file (samples/ledger/targets.txt) holds the baseline year, the\n"
        "pollution-equivalent values, the targets, GDP per year and the synergy settings;\n"
        "the park file (samples/ledger/park_2023.txt) the waste, its composition and the\n"
        "plant's data. Formulas and sources: docs/methods.md, sp-ledger.\n",
    .examples =
        "sp-ledger -targets samples/ledger/targets.txt -year 2020=samples/ledger/totals_2020.csv "
        "-year 2023=totals_2023.csv -year 2026=totals_2026.csv ledger.csv\n"
        "sp-ledger -bounds samples/ledger/bounds.txt -targets other_city_targets.txt "
        "-year 2023=t23.csv -year 2026=t26.csv -degree degree.csv ledger.csv\n"
        "sp-ledger -targets samples/ledger/targets.txt -year 2023=t23.csv -park 2023=park_2023.txt "
        "-synergy synergy.csv -svg ledger.svg ledger.csv",
    .npos_min = 1,
    .npos_max = 1,
    .pos_error = "need OUT.csv",
};

int main(int argc, char **argv)
{
    sp_cli cli;
    sp_cli_init(&cli, "sp-ledger");
    sp_ledger_options o = {0};
    const sp_opt opts[] = {
        SP_SECTION("Inputs:"),
        SP_OPT(SP_OPT_STR, "-targets", "FILE", &o.targets, "the targets file (required)"),
        SP_OPT(SP_OPT_STR, "-bounds", "FILE", &o.bounds,
               "'degree' lines with fixed bounds shared between cities (read\n"
               "before the targets, which may name them): the same 协同度 for\n"
               "any city's figures (samples/ledger/bounds.txt)"),
        SP_OPT(SP_OPT_STRS, "-year", "YEAR=TOTALS.csv", &o.years,
               "the inventory of a year (sp-inventory -totals); repeat for each"),
        SP_OPT(SP_OPT_STRS, "-park", "YEAR=PARK.txt", &o.parks,
               "the circular-economy park in a year (its stacks are added to\n"
               "that year's district totals); repeat for each"),
        SP_OPT(SP_OPT_STRS, "-draws", "YEAR=DRAWS.csv", &o.draws,
               "a year's Monte-Carlo draws (sp-inventory -mc N -mc_draws, the\n"
               "same seed every year): the 95 % interval of each cumulative"),
        SP_OPT(SP_OPT_STRS, "-measure", "NAME=TOTALS.csv", &o.measures,
               "one measure alone on the baseline year's inventory (its\n"
               "sp-inventory -totals): its elasticity in -synergy; repeat"),
        SP_SECTION("Outputs:"),
        SP_OPT(SP_OPT_STR, "-synergy", "FILE.csv", &o.synergy, "the synergy per year"),
        SP_OPT(SP_OPT_STR, "-svg", "FILE.svg", &o.svg, "a chart of each target's path"),
        SP_OPT(SP_OPT_STR, "-park_csv", "FILE.csv", &o.park_csv,
               "the park per year: gross, credit and net apart, the GWP set,\n"
               "per tonne treated, the drivers of each change"),
        SP_OPT(SP_OPT_STR, "-degree", "FILE.csv", &o.degree,
               "each degree (协同度 with fixed bounds) per year: its levels,\n"
               "u1, u2, C, T, D"),
        SP_OPT(SP_OPT_STRS, "-lco", "WRITE_BOM=YES", &o.lco,
               "the CSVs start with a UTF-8 byte-order mark, so that\nChinese Excel reads them"),
    };
    const char *pos[1];
    int rc = sp_cli_parse(&cli, &TOOL, opts, sizeof opts / sizeof *opts, argc, argv, pos);
    if (rc) {
        sp_cli_free(&cli);
        return rc == 3 ? 0 : rc;
    }
    if (!o.targets) {
        sp_cli_usage(&cli, "-targets FILE is required");
        sp_cli_free(&cli);
        return 2;
    }
    o.table = cli.quiet ? NULL : stdout;
    sp_ctx *ctx = sp_ctx_new();
    if (!ctx || sp_ledger_run(ctx, pos[0], &o))
        rc = ctx ? sp_cli_fail(&cli, ctx) : 1;
    else
        sp_cli_warnings(&cli, ctx);
    sp_ctx_free(ctx);
    sp_cli_free(&cli);
    return rc;
}
