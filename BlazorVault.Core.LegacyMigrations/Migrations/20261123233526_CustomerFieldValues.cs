using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BlazorVault.Core.LegacyMigrations.Migrations
{
    /// <inheritdoc />
    public partial class CustomerFieldValues : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Options",
                table: "CustomerFields",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Required",
                table: "CustomerFields",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "CustomerFieldValues",
                columns: table => new
                {
                    CustomerFieldId = table.Column<int>(type: "INTEGER", nullable: false),
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomerFieldValues", x => new { x.CustomerFieldId, x.CustomerId });
                    table.ForeignKey(
                        name: "FK_CustomerFieldValues_CustomerFields_CustomerFieldId",
                        column: x => x.CustomerFieldId,
                        principalTable: "CustomerFields",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CustomerFieldValues_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.UpdateData(
                table: "CustomerFields",
                keyColumn: "Id",
                keyValue: 1,
                columns: new[] { "Options", "Required" },
                values: new object[] { null, false });

            migrationBuilder.CreateIndex(
                name: "IX_CustomerFieldValues_CustomerId",
                table: "CustomerFieldValues",
                column: "CustomerId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CustomerFieldValues");

            migrationBuilder.DropColumn(
                name: "Options",
                table: "CustomerFields");

            migrationBuilder.DropColumn(
                name: "Required",
                table: "CustomerFields");
        }
    }
}
