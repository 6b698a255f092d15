using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace BlazorVault.Core.LegacyMigrations.Migrations
{
    /// <inheritdoc />
    public partial class CustomObjects : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CustomTables",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    LinkedEntity = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomTables", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CustomerFields",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Label = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    LinkedTableId = table.Column<int>(type: "INTEGER", nullable: true),
                    Order = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomerFields", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CustomerFields_CustomTables_LinkedTableId",
                        column: x => x.LinkedTableId,
                        principalTable: "CustomTables",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CustomRows",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TableId = table.Column<int>(type: "INTEGER", nullable: false),
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomRows", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CustomRows_CustomTables_TableId",
                        column: x => x.TableId,
                        principalTable: "CustomTables",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CustomRows_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CustomTableFields",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TableId = table.Column<int>(type: "INTEGER", nullable: false),
                    Order = table.Column<int>(type: "INTEGER", nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Required = table.Column<bool>(type: "INTEGER", nullable: false),
                    Options = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomTableFields", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CustomTableFields_CustomTables_TableId",
                        column: x => x.TableId,
                        principalTable: "CustomTables",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CustomValues",
                columns: table => new
                {
                    RowId = table.Column<int>(type: "INTEGER", nullable: false),
                    FieldId = table.Column<int>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    SearchText = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    SecretChangedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SecretChangedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    LastRevealedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastRevealedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomValues", x => new { x.RowId, x.FieldId });
                    table.ForeignKey(
                        name: "FK_CustomValues_CustomRows_RowId",
                        column: x => x.RowId,
                        principalTable: "CustomRows",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CustomValues_CustomTableFields_FieldId",
                        column: x => x.FieldId,
                        principalTable: "CustomTableFields",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CustomVisibility",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TableId = table.Column<int>(type: "INTEGER", nullable: true),
                    FieldId = table.Column<int>(type: "INTEGER", nullable: true),
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomVisibility", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CustomVisibility_CustomTableFields_FieldId",
                        column: x => x.FieldId,
                        principalTable: "CustomTableFields",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CustomVisibility_CustomTables_TableId",
                        column: x => x.TableId,
                        principalTable: "CustomTables",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CustomVisibility_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "CustomTables",
                columns: new[] { "Id", "CreatedAt", "LinkedEntity", "Name" },
                values: new object[] { 1, new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), "Customer", "Passwords" });

            migrationBuilder.InsertData(
                table: "CustomTableFields",
                columns: new[] { "Id", "Label", "Options", "Order", "Required", "TableId", "Type" },
                values: new object[,]
                {
                    { 1, "Type of password", "Email\nDomain / Active Directory\nMicrosoft 365\nWi-Fi\nRouter / firewall\nServer / local admin\nApplication\nWebsite\nOther", 1, false, 1, "SingleSelect" },
                    { 2, "User", null, 2, false, 1, "User" },
                    { 3, "Username", null, 3, false, 1, "Text" },
                    { 4, "Password", null, 4, true, 1, "Password" },
                    { 5, "URL", null, 5, false, 1, "Url" },
                    { 6, "Notes", null, 6, false, 1, "Multiline" }
                });

            migrationBuilder.InsertData(
                table: "CustomerFields",
                columns: new[] { "Id", "Label", "LinkedTableId", "Order", "Type" },
                values: new object[] { 1, "Passwords", 1, 1, "Table" });

            migrationBuilder.CreateIndex(
                name: "IX_CustomerFields_LinkedTableId",
                table: "CustomerFields",
                column: "LinkedTableId");

            migrationBuilder.CreateIndex(
                name: "IX_CustomRows_CustomerId",
                table: "CustomRows",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_CustomRows_TableId_CustomerId_Id",
                table: "CustomRows",
                columns: new[] { "TableId", "CustomerId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_CustomTableFields_TableId_Order",
                table: "CustomTableFields",
                columns: new[] { "TableId", "Order" });

            migrationBuilder.CreateIndex(
                name: "IX_CustomTables_Name",
                table: "CustomTables",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CustomValues_FieldId",
                table: "CustomValues",
                column: "FieldId");

            migrationBuilder.CreateIndex(
                name: "IX_CustomVisibility_CustomerId",
                table: "CustomVisibility",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_CustomVisibility_FieldId_CustomerId",
                table: "CustomVisibility",
                columns: new[] { "FieldId", "CustomerId" });

            migrationBuilder.CreateIndex(
                name: "IX_CustomVisibility_TableId_CustomerId",
                table: "CustomVisibility",
                columns: new[] { "TableId", "CustomerId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CustomerFields");

            migrationBuilder.DropTable(
                name: "CustomValues");

            migrationBuilder.DropTable(
                name: "CustomVisibility");

            migrationBuilder.DropTable(
                name: "CustomRows");

            migrationBuilder.DropTable(
                name: "CustomTableFields");

            migrationBuilder.DropTable(
                name: "CustomTables");
        }
    }
}
