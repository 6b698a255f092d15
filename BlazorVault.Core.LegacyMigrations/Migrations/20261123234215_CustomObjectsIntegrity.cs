using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BlazorVault.Core.LegacyMigrations.Migrations
{
    /// <inheritdoc />
    public partial class CustomObjectsIntegrity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_CustomVisibility_Customers_CustomerId",
                table: "CustomVisibility");

            migrationBuilder.DropIndex(
                name: "IX_CustomerFields_LinkedTableId",
                table: "CustomerFields");

            migrationBuilder.CreateIndex(
                name: "IX_CustomerFields_LinkedTableId",
                table: "CustomerFields",
                column: "LinkedTableId",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_CustomVisibility_Customers_CustomerId",
                table: "CustomVisibility",
                column: "CustomerId",
                principalTable: "Customers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_CustomVisibility_Customers_CustomerId",
                table: "CustomVisibility");

            migrationBuilder.DropIndex(
                name: "IX_CustomerFields_LinkedTableId",
                table: "CustomerFields");

            migrationBuilder.CreateIndex(
                name: "IX_CustomerFields_LinkedTableId",
                table: "CustomerFields",
                column: "LinkedTableId");

            migrationBuilder.AddForeignKey(
                name: "FK_CustomVisibility_Customers_CustomerId",
                table: "CustomVisibility",
                column: "CustomerId",
                principalTable: "Customers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
