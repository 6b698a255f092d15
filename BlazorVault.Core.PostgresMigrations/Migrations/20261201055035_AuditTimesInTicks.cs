using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BlazorVault.Core.PostgresMigrations.Migrations
{
    /// <inheritdoc />
    public partial class AuditTimesInTicks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Ticks (100 ns since 0001-01-01 UTC), as the audit hash counts them; the timestamps written so far are exact.
            migrationBuilder.Sql(
                """
                ALTER TABLE "AuditEvents" ALTER COLUMN "OccurredAt" TYPE bigint
                USING 621355968000000000 + (extract(epoch FROM "OccurredAt") * 10000000)::bigint;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                """
                ALTER TABLE "AuditEvents" ALTER COLUMN "OccurredAt" TYPE timestamp with time zone
                USING timestamptz 'epoch' + (("OccurredAt" - 621355968000000000) / 10) * interval '1 microsecond';
                """);
        }
    }
}
