using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BlazorVault.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PasswordLinkPasswordSetAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "PasswordSetAt",
                table: "PasswordLinks",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PasswordSetAt",
                table: "PasswordLinks");
        }
    }
}
