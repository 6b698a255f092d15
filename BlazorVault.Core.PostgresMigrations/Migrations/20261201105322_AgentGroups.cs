using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace BlazorVault.Core.PostgresMigrations.Migrations
{
    /// <inheritdoc />
    public partial class AgentGroups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AgentGroups",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:IdentitySequenceOptions", "'2', '1', '', '', 'False', '1'")
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    AllCustomers = table.Column<bool>(type: "boolean", nullable: false),
                    OtherTables = table.Column<int>(type: "integer", nullable: false),
                    CanApprove = table.Column<bool>(type: "boolean", nullable: false),
                    IsBuiltIn = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AgentGroups", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AgentGroupCustomers",
                columns: table => new
                {
                    GroupId = table.Column<int>(type: "integer", nullable: false),
                    CustomerId = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AgentGroupCustomers", x => new { x.GroupId, x.CustomerId });
                    table.ForeignKey(
                        name: "FK_AgentGroupCustomers_AgentGroups_GroupId",
                        column: x => x.GroupId,
                        principalTable: "AgentGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AgentGroupCustomers_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AgentGroupMembers",
                columns: table => new
                {
                    GroupId = table.Column<int>(type: "integer", nullable: false),
                    UserId = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AgentGroupMembers", x => new { x.GroupId, x.UserId });
                    table.ForeignKey(
                        name: "FK_AgentGroupMembers_AgentGroups_GroupId",
                        column: x => x.GroupId,
                        principalTable: "AgentGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AgentGroupMembers_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AgentGroupTables",
                columns: table => new
                {
                    GroupId = table.Column<int>(type: "integer", nullable: false),
                    TableId = table.Column<int>(type: "integer", nullable: false),
                    Level = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AgentGroupTables", x => new { x.GroupId, x.TableId });
                    table.ForeignKey(
                        name: "FK_AgentGroupTables_AgentGroups_GroupId",
                        column: x => x.GroupId,
                        principalTable: "AgentGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AgentGroupTables_CustomTables_TableId",
                        column: x => x.TableId,
                        principalTable: "CustomTables",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "AgentGroups",
                columns: new[] { "Id", "AllCustomers", "CanApprove", "CreatedAt", "IsBuiltIn", "Name", "OtherTables", "UpdatedAt" },
                values: new object[] { 1, true, false, new DateTime(2026, 12, 1, 0, 0, 0, 0, DateTimeKind.Utc), true, "All agents", 4, new DateTime(2026, 12, 1, 0, 0, 0, 0, DateTimeKind.Utc) });

            // Upgrades keep their behaviour: every agent of the installation (administrators included, should they lose
            // that role) joins the built-in group, which covers every customer at Manage.
            migrationBuilder.Sql(
                """
                INSERT INTO "AgentGroupMembers" ("GroupId", "UserId")
                SELECT DISTINCT 1, ur."UserId"
                FROM "AspNetUserRoles" ur
                JOIN "AspNetRoles" r ON r."Id" = ur."RoleId"
                WHERE r."Name" IN ('Agent', 'Admin');
                """
            );

            migrationBuilder.CreateIndex(
                name: "IX_AgentGroupCustomers_CustomerId",
                table: "AgentGroupCustomers",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_AgentGroupMembers_UserId",
                table: "AgentGroupMembers",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AgentGroups_Name",
                table: "AgentGroups",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AgentGroupTables_TableId",
                table: "AgentGroupTables",
                column: "TableId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AgentGroupCustomers");

            migrationBuilder.DropTable(
                name: "AgentGroupMembers");

            migrationBuilder.DropTable(
                name: "AgentGroupTables");

            migrationBuilder.DropTable(
                name: "AgentGroups");
        }
    }
}
