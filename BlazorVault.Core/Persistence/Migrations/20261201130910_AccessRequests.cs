using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BlazorVault.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AccessRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RotationReason",
                table: "CustomValues",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RotationRequestedAt",
                table: "CustomValues",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RotationRequestedBy",
                table: "CustomValues",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "AccessNarrowedAt",
                table: "AspNetUsers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AccessNotices",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Link = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReadAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RequestId = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessNotices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AccessNotices_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AccessRequests",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RequesterId = table.Column<string>(type: "TEXT", nullable: false),
                    RequesterName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    TableId = table.Column<int>(type: "INTEGER", nullable: false),
                    RowId = table.Column<int>(type: "INTEGER", nullable: false),
                    FieldId = table.Column<int>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Minutes = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DeciderId = table.Column<string>(type: "TEXT", nullable: true),
                    DeciderName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    GrantedUntil = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ExpiryRecorded = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AccessRequests_AspNetUsers_RequesterId",
                        column: x => x.RequesterId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AccessRequests_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AccessNotices_RequestId",
                table: "AccessNotices",
                column: "RequestId");

            migrationBuilder.CreateIndex(
                name: "IX_AccessNotices_UserId_ReadAt_Id",
                table: "AccessNotices",
                columns: new[] { "UserId", "ReadAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AccessRequests_CustomerId",
                table: "AccessRequests",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_AccessRequests_ExpiryRecorded_GrantedUntil",
                table: "AccessRequests",
                columns: new[] { "ExpiryRecorded", "GrantedUntil" });

            migrationBuilder.CreateIndex(
                name: "IX_AccessRequests_RequesterId_RowId_FieldId",
                table: "AccessRequests",
                columns: new[] { "RequesterId", "RowId", "FieldId" });

            migrationBuilder.CreateIndex(
                name: "IX_AccessRequests_Status_RequestedAt",
                table: "AccessRequests",
                columns: new[] { "Status", "RequestedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AccessNotices");

            migrationBuilder.DropTable(
                name: "AccessRequests");

            migrationBuilder.DropColumn(
                name: "RotationReason",
                table: "CustomValues");

            migrationBuilder.DropColumn(
                name: "RotationRequestedAt",
                table: "CustomValues");

            migrationBuilder.DropColumn(
                name: "RotationRequestedBy",
                table: "CustomValues");

            migrationBuilder.DropColumn(
                name: "AccessNarrowedAt",
                table: "AspNetUsers");
        }
    }
}
