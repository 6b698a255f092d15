using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BlazorVault.Core.PostgresMigrations.Migrations
{
    /// <summary>
    /// The tables of Quartz's clustered job store (<c>qrtz_*</c>), in PostgreSQL only: an SQLite installation keeps Quartz's
    /// in-memory store. Not part of the EF model; Quartz reads and writes them itself.
    /// </summary>
    public partial class QuartzTables : Migration
    {
        /// <summary>The embedded Migrations/QuartzTables.sql.</summary>
        public const string ScriptResource = "BlazorVault.Core.PostgresMigrations.QuartzTables";

        private static readonly string[] Tables =
        [
            "qrtz_fired_triggers",
            "qrtz_paused_trigger_grps",
            "qrtz_paused_job_grps",
            "qrtz_scheduler_state",
            "qrtz_locks",
            "qrtz_simprop_triggers",
            "qrtz_simple_triggers",
            "qrtz_cron_triggers",
            "qrtz_blob_triggers",
            "qrtz_triggers",
            "qrtz_job_details",
            "qrtz_calendars",
            "qrtz_execution_history",
            "qrtz_misfire_history",
            "qrtz_job_status",
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            using var script = typeof(QuartzTables).Assembly.GetManifestResourceStream(ScriptResource)!;
            using var reader = new StreamReader(script);
            migrationBuilder.Sql(reader.ReadToEnd());
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"DROP TABLE IF EXISTS {table};");
            }
        }
    }
}
