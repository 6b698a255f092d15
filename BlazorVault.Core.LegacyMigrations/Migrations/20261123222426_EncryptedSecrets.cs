using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BlazorVault.Core.LegacyMigrations.Migrations
{
    /// <inheritdoc />
    public partial class EncryptedSecrets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "EncryptionKeys",
                columns: table => new
                {
                    Thumbprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    FirstSeenAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    GeneratedByBlazorVault = table.Column<bool>(type: "INTEGER", nullable: false),
                    BackupAcknowledgedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    BackupAcknowledgedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    RemovedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EncryptionKeys", x => x.Thumbprint);
                });

            migrationBuilder.CreateTable(
                name: "EncryptionState",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    ActiveThumbprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RewrapRequestedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RewrapRequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EncryptionState", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Secrets",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    EntityId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FieldId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FormatVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    Ciphertext = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Nonce = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Tag = table.Column<byte[]>(type: "BLOB", nullable: false),
                    WrappedKey = table.Column<byte[]>(type: "BLOB", nullable: false),
                    CertificateThumbprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Secrets", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "EncryptionState",
                columns: new[] { "Id", "ActiveThumbprint", "RewrapRequestedAt", "RewrapRequestedBy" },
                values: new object[] { 1, null, null, null });

            migrationBuilder.CreateIndex(
                name: "IX_Secrets_CertificateThumbprint_Id",
                table: "Secrets",
                columns: new[] { "CertificateThumbprint", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Secrets_Purpose_EntityId_FieldId",
                table: "Secrets",
                columns: new[] { "Purpose", "EntityId", "FieldId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EncryptionKeys");

            migrationBuilder.DropTable(
                name: "EncryptionState");

            migrationBuilder.DropTable(
                name: "Secrets");
        }
    }
}
