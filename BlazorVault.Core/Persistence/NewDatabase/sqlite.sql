CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" TEXT NOT NULL CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY,
    "ProductVersion" TEXT NOT NULL
);

CREATE TABLE "AspNetRoles" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetRoles" PRIMARY KEY,
    "Name" TEXT NULL,
    "NormalizedName" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL
);

CREATE TABLE "AuditChainHeads" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AuditChainHeads" PRIMARY KEY,
    "LastSequence" INTEGER NOT NULL,
    "LastHash" TEXT NOT NULL
);

CREATE TABLE "AuditEvents" (
    "Sequence" INTEGER NOT NULL CONSTRAINT "PK_AuditEvents" PRIMARY KEY,
    "OccurredAt" TEXT NOT NULL,
    "ActorId" TEXT NULL,
    "ActorName" TEXT NOT NULL,
    "Action" TEXT NOT NULL,
    "TargetType" TEXT NULL,
    "TargetId" TEXT NULL,
    "CustomerId" INTEGER NULL,
    "IpAddress" TEXT NULL,
    "UserAgent" TEXT NULL,
    "Details" TEXT NULL,
    "PreviousHash" TEXT NOT NULL,
    "Hash" TEXT NOT NULL
);

CREATE TABLE "Customers" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Customers" PRIMARY KEY AUTOINCREMENT,
    "Name" TEXT NOT NULL,
    "NormalizedName" TEXT NOT NULL,
    "Reference" TEXT NULL,
    "Email" TEXT NULL,
    "Phone" TEXT NULL,
    "Website" TEXT NULL,
    "Address" TEXT NULL,
    "Notes" TEXT NULL,
    "IsActive" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL
);

CREATE TABLE "CustomTables" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_CustomTables" PRIMARY KEY AUTOINCREMENT,
    "Name" TEXT NOT NULL,
    "LinkedEntity" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL
);

CREATE TABLE "EncryptionKeys" (
    "Thumbprint" TEXT NOT NULL CONSTRAINT "PK_EncryptionKeys" PRIMARY KEY,
    "Subject" TEXT NOT NULL,
    "FirstSeenAt" TEXT NOT NULL,
    "GeneratedByBlazorVault" INTEGER NOT NULL,
    "BackupAcknowledgedAt" TEXT NULL,
    "BackupAcknowledgedBy" TEXT NULL,
    "RemovedAt" TEXT NULL
);

CREATE TABLE "EncryptionState" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_EncryptionState" PRIMARY KEY,
    "ActiveThumbprint" TEXT NULL,
    "RewrapRequestedAt" TEXT NULL,
    "RewrapRequestedBy" TEXT NULL
);

CREATE TABLE "InstallationStates" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_InstallationStates" PRIMARY KEY,
    "SetupCompletedAt" TEXT NOT NULL,
    "SetupCompletedByUserId" TEXT NOT NULL
);

CREATE TABLE "JobRuns" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_JobRuns" PRIMARY KEY AUTOINCREMENT,
    "JobKey" TEXT NOT NULL,
    "StartedAt" TEXT NOT NULL,
    "FinishedAt" TEXT NULL,
    "Succeeded" INTEGER NULL,
    "Message" TEXT NULL
);

CREATE TABLE "OutboxEmails" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_OutboxEmails" PRIMARY KEY AUTOINCREMENT,
    "Kind" TEXT NOT NULL,
    "ToAddress" TEXT NOT NULL,
    "UserId" TEXT NULL,
    "ExpiresAt" TEXT NULL,
    "HasLink" INTEGER NOT NULL,
    "Subject" TEXT NULL,
    "Status" TEXT NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "NextAttemptAt" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "SentAt" TEXT NULL,
    "LastError" TEXT NULL,
    "PickupFile" TEXT NULL
);

CREATE TABLE "Secrets" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Secrets" PRIMARY KEY AUTOINCREMENT,
    "Purpose" TEXT NOT NULL,
    "EntityId" TEXT NOT NULL,
    "FieldId" TEXT NOT NULL,
    "FormatVersion" INTEGER NOT NULL,
    "Ciphertext" BLOB NOT NULL,
    "Nonce" BLOB NOT NULL,
    "Tag" BLOB NOT NULL,
    "WrappedKey" BLOB NOT NULL,
    "CertificateThumbprint" TEXT NOT NULL,
    "Revision" INTEGER NOT NULL,
    "UpdatedAt" TEXT NOT NULL
);

CREATE TABLE "Settings" (
    "Section" TEXT NOT NULL CONSTRAINT "PK_Settings" PRIMARY KEY,
    "Json" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "UpdatedBy" TEXT NOT NULL
);

CREATE TABLE "AspNetRoleClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetRoleClaims" PRIMARY KEY AUTOINCREMENT,
    "RoleId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetRoleClaims_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUsers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetUsers" PRIMARY KEY,
    "DisplayName" TEXT NOT NULL,
    "CustomerId" INTEGER NULL,
    "CreatedAt" TEXT NOT NULL,
    "DisabledAt" TEXT NULL,
    "PasswordChangedAt" TEXT NULL,
    "PasswordExpiredAt" TEXT NULL,
    "ExpiryReminderSentAt" TEXT NULL,
    "UserName" TEXT NULL,
    "NormalizedUserName" TEXT NULL,
    "Email" TEXT NULL,
    "NormalizedEmail" TEXT NULL,
    "EmailConfirmed" INTEGER NOT NULL,
    "PasswordHash" TEXT NULL,
    "SecurityStamp" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL,
    "PhoneNumber" TEXT NULL,
    "PhoneNumberConfirmed" INTEGER NOT NULL,
    "TwoFactorEnabled" INTEGER NOT NULL,
    "LockoutEnd" TEXT NULL,
    "LockoutEnabled" INTEGER NOT NULL,
    "AccessFailedCount" INTEGER NOT NULL,
    CONSTRAINT "FK_AspNetUsers_Customers_CustomerId" FOREIGN KEY ("CustomerId") REFERENCES "Customers" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CustomerFields" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_CustomerFields" PRIMARY KEY AUTOINCREMENT,
    "Label" TEXT NOT NULL,
    "Type" TEXT NOT NULL,
    "LinkedTableId" INTEGER NULL,
    "Order" INTEGER NOT NULL,
    "Required" INTEGER NOT NULL,
    "Options" TEXT NULL,
    CONSTRAINT "FK_CustomerFields_CustomTables_LinkedTableId" FOREIGN KEY ("LinkedTableId") REFERENCES "CustomTables" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CustomRows" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_CustomRows" PRIMARY KEY AUTOINCREMENT,
    "TableId" INTEGER NOT NULL,
    "CustomerId" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "UpdatedBy" TEXT NOT NULL,
    CONSTRAINT "FK_CustomRows_CustomTables_TableId" FOREIGN KEY ("TableId") REFERENCES "CustomTables" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_CustomRows_Customers_CustomerId" FOREIGN KEY ("CustomerId") REFERENCES "Customers" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CustomTableFields" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_CustomTableFields" PRIMARY KEY AUTOINCREMENT,
    "TableId" INTEGER NOT NULL,
    "Order" INTEGER NOT NULL,
    "Label" TEXT NOT NULL,
    "Type" TEXT NOT NULL,
    "Required" INTEGER NOT NULL,
    "Options" TEXT NULL,
    CONSTRAINT "FK_CustomTableFields_CustomTables_TableId" FOREIGN KEY ("TableId") REFERENCES "CustomTables" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserLogins" (
    "LoginProvider" TEXT NOT NULL,
    "ProviderKey" TEXT NOT NULL,
    "ProviderDisplayName" TEXT NULL,
    "UserId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
    CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserPasskeys" (
    "CredentialId" BLOB NOT NULL CONSTRAINT "PK_AspNetUserPasskeys" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "Data" TEXT NOT NULL,
    CONSTRAINT "FK_AspNetUserPasskeys_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserRoles" (
    "UserId" TEXT NOT NULL,
    "RoleId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserRoles" PRIMARY KEY ("UserId", "RoleId"),
    CONSTRAINT "FK_AspNetUserRoles_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_AspNetUserRoles_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserTokens" (
    "UserId" TEXT NOT NULL,
    "LoginProvider" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Value" TEXT NULL,
    CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
    CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "PasswordHistory" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_PasswordHistory" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "PasswordHash" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_PasswordHistory_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "PasswordLinks" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_PasswordLinks" PRIMARY KEY,
    "Selector" TEXT NOT NULL,
    "VerifierHash" BLOB NOT NULL,
    "UserId" TEXT NOT NULL,
    "Purpose" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UsedAt" TEXT NULL,
    CONSTRAINT "FK_PasswordLinks_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Tickets" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Tickets" PRIMARY KEY AUTOINCREMENT,
    "CustomerId" INTEGER NOT NULL,
    "RequesterId" TEXT NOT NULL,
    "Subject" TEXT NOT NULL,
    "Description" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Priority" TEXT NOT NULL,
    "CreatedById" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_Tickets_AspNetUsers_RequesterId" FOREIGN KEY ("RequesterId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Tickets_Customers_CustomerId" FOREIGN KEY ("CustomerId") REFERENCES "Customers" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CustomerFieldValues" (
    "CustomerFieldId" INTEGER NOT NULL,
    "CustomerId" INTEGER NOT NULL,
    "Text" TEXT NULL,
    CONSTRAINT "PK_CustomerFieldValues" PRIMARY KEY ("CustomerFieldId", "CustomerId"),
    CONSTRAINT "FK_CustomerFieldValues_CustomerFields_CustomerFieldId" FOREIGN KEY ("CustomerFieldId") REFERENCES "CustomerFields" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_CustomerFieldValues_Customers_CustomerId" FOREIGN KEY ("CustomerId") REFERENCES "Customers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "CustomValues" (
    "RowId" INTEGER NOT NULL,
    "FieldId" INTEGER NOT NULL,
    "Text" TEXT NULL,
    "SearchText" TEXT NULL,
    "SecretChangedAt" TEXT NULL,
    "SecretChangedBy" TEXT NULL,
    "LastRevealedAt" TEXT NULL,
    "LastRevealedBy" TEXT NULL,
    CONSTRAINT "PK_CustomValues" PRIMARY KEY ("RowId", "FieldId"),
    CONSTRAINT "FK_CustomValues_CustomRows_RowId" FOREIGN KEY ("RowId") REFERENCES "CustomRows" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_CustomValues_CustomTableFields_FieldId" FOREIGN KEY ("FieldId") REFERENCES "CustomTableFields" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "CustomVisibility" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_CustomVisibility" PRIMARY KEY AUTOINCREMENT,
    "TableId" INTEGER NULL,
    "FieldId" INTEGER NULL,
    "CustomerId" INTEGER NOT NULL,
    CONSTRAINT "FK_CustomVisibility_CustomTableFields_FieldId" FOREIGN KEY ("FieldId") REFERENCES "CustomTableFields" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_CustomVisibility_CustomTables_TableId" FOREIGN KEY ("TableId") REFERENCES "CustomTables" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_CustomVisibility_Customers_CustomerId" FOREIGN KEY ("CustomerId") REFERENCES "Customers" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "SecureMessages" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_SecureMessages" PRIMARY KEY,
    "TicketId" INTEGER NOT NULL,
    "CustomerId" INTEGER NOT NULL,
    "Selector" TEXT NOT NULL,
    "VerifierHash" BLOB NOT NULL,
    "Ciphertext" BLOB NULL,
    "Nonce" BLOB NULL,
    "Tag" BLOB NULL,
    "Salt" BLOB NOT NULL,
    "HasPassphrase" INTEGER NOT NULL,
    "RequiresSignIn" INTEGER NOT NULL,
    "RecipientId" TEXT NOT NULL,
    "AttemptLimit" INTEGER NOT NULL,
    "FailedAttempts" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "CreatedByName" TEXT NOT NULL,
    "ExpiresAt" TEXT NOT NULL,
    "ClosedAt" TEXT NULL,
    "ViewedFromIp" TEXT NULL,
    CONSTRAINT "FK_SecureMessages_Tickets_TicketId" FOREIGN KEY ("TicketId") REFERENCES "Tickets" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "TicketActivities" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_TicketActivities" PRIMARY KEY AUTOINCREMENT,
    "TicketId" INTEGER NOT NULL,
    "Kind" TEXT NOT NULL,
    "Body" TEXT NULL,
    "ActorId" TEXT NOT NULL,
    "ActorName" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_TicketActivities_Tickets_TicketId" FOREIGN KEY ("TicketId") REFERENCES "Tickets" ("Id") ON DELETE CASCADE
);

INSERT INTO "AspNetRoles" ("Id", "ConcurrencyStamp", "Name", "NormalizedName")
VALUES ('2c5e6f0a-5a4e-4c51-9a0e-7f1d6f0b0a01', '2c5e6f0a-5a4e-4c51-9a0e-7f1d6f0b0a01', 'Admin', 'ADMIN');
SELECT changes();

INSERT INTO "AspNetRoles" ("Id", "ConcurrencyStamp", "Name", "NormalizedName")
VALUES ('2c5e6f0a-5a4e-4c51-9a0e-7f1d6f0b0a02', '2c5e6f0a-5a4e-4c51-9a0e-7f1d6f0b0a02', 'Agent', 'AGENT');
SELECT changes();

INSERT INTO "AspNetRoles" ("Id", "ConcurrencyStamp", "Name", "NormalizedName")
VALUES ('2c5e6f0a-5a4e-4c51-9a0e-7f1d6f0b0a03', '2c5e6f0a-5a4e-4c51-9a0e-7f1d6f0b0a03', 'PortalUser', 'PORTALUSER');
SELECT changes();


INSERT INTO "AuditChainHeads" ("Id", "LastHash", "LastSequence")
VALUES (1, '0000000000000000000000000000000000000000000000000000000000000000', 0);
SELECT changes();


INSERT INTO "CustomTables" ("Id", "CreatedAt", "LinkedEntity", "Name")
VALUES (1, '2026-01-01 00:00:00', 'Customer', 'Passwords');
SELECT changes();


INSERT INTO "EncryptionState" ("Id", "ActiveThumbprint", "RewrapRequestedAt", "RewrapRequestedBy")
VALUES (1, NULL, NULL, NULL);
SELECT changes();


INSERT INTO "CustomTableFields" ("Id", "Label", "Options", "Order", "Required", "TableId", "Type")
VALUES (1, 'Type of password', (((('Email' || CHAR(10)) || ('Domain / Active Directory' || CHAR(10))) || (('Microsoft 365' || CHAR(10)) || ('Wi-Fi' || CHAR(10)))) || ((('Router / firewall' || CHAR(10)) || ('Server / local admin' || CHAR(10))) || (('Application' || CHAR(10)) || ('Website' || (CHAR(10) || 'Other'))))), 1, 0, 1, 'SingleSelect');
SELECT changes();

INSERT INTO "CustomTableFields" ("Id", "Label", "Options", "Order", "Required", "TableId", "Type")
VALUES (2, 'User', NULL, 2, 0, 1, 'User');
SELECT changes();

INSERT INTO "CustomTableFields" ("Id", "Label", "Options", "Order", "Required", "TableId", "Type")
VALUES (3, 'Username', NULL, 3, 0, 1, 'Text');
SELECT changes();

INSERT INTO "CustomTableFields" ("Id", "Label", "Options", "Order", "Required", "TableId", "Type")
VALUES (4, 'Password', NULL, 4, 1, 1, 'Password');
SELECT changes();

INSERT INTO "CustomTableFields" ("Id", "Label", "Options", "Order", "Required", "TableId", "Type")
VALUES (5, 'URL', NULL, 5, 0, 1, 'Url');
SELECT changes();

INSERT INTO "CustomTableFields" ("Id", "Label", "Options", "Order", "Required", "TableId", "Type")
VALUES (6, 'Notes', NULL, 6, 0, 1, 'Multiline');
SELECT changes();


INSERT INTO "CustomerFields" ("Id", "Label", "LinkedTableId", "Options", "Order", "Required", "Type")
VALUES (1, 'Passwords', 1, NULL, 1, 0, 'Table');
SELECT changes();


CREATE INDEX "IX_AspNetRoleClaims_RoleId" ON "AspNetRoleClaims" ("RoleId");

CREATE UNIQUE INDEX "RoleNameIndex" ON "AspNetRoles" ("NormalizedName");

CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");

CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");

CREATE INDEX "IX_AspNetUserPasskeys_UserId" ON "AspNetUserPasskeys" ("UserId");

CREATE INDEX "IX_AspNetUserRoles_RoleId" ON "AspNetUserRoles" ("RoleId");

CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");

CREATE INDEX "IX_AspNetUsers_CustomerId_DisplayName" ON "AspNetUsers" ("CustomerId", "DisplayName");

CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");

CREATE INDEX "IX_AuditEvents_Action_Sequence" ON "AuditEvents" ("Action", "Sequence");

CREATE INDEX "IX_AuditEvents_ActorId_Sequence" ON "AuditEvents" ("ActorId", "Sequence");

CREATE INDEX "IX_AuditEvents_CustomerId_Sequence" ON "AuditEvents" ("CustomerId", "Sequence");

CREATE INDEX "IX_AuditEvents_OccurredAt" ON "AuditEvents" ("OccurredAt");

CREATE UNIQUE INDEX "IX_AuditEvents_PreviousHash" ON "AuditEvents" ("PreviousHash");

CREATE UNIQUE INDEX "IX_CustomerFields_LinkedTableId" ON "CustomerFields" ("LinkedTableId");

CREATE INDEX "IX_CustomerFieldValues_CustomerId" ON "CustomerFieldValues" ("CustomerId");

CREATE UNIQUE INDEX "IX_Customers_NormalizedName" ON "Customers" ("NormalizedName");

CREATE INDEX "IX_CustomRows_CustomerId" ON "CustomRows" ("CustomerId");

CREATE INDEX "IX_CustomRows_TableId_CustomerId_Id" ON "CustomRows" ("TableId", "CustomerId", "Id");

CREATE INDEX "IX_CustomTableFields_TableId_Order" ON "CustomTableFields" ("TableId", "Order");

CREATE UNIQUE INDEX "IX_CustomTables_Name" ON "CustomTables" ("Name");

CREATE INDEX "IX_CustomValues_FieldId" ON "CustomValues" ("FieldId");

CREATE INDEX "IX_CustomVisibility_CustomerId" ON "CustomVisibility" ("CustomerId");

CREATE INDEX "IX_CustomVisibility_FieldId_CustomerId" ON "CustomVisibility" ("FieldId", "CustomerId");

CREATE INDEX "IX_CustomVisibility_TableId_CustomerId" ON "CustomVisibility" ("TableId", "CustomerId");

CREATE INDEX "IX_JobRuns_JobKey_Id" ON "JobRuns" ("JobKey", "Id");

CREATE INDEX "IX_OutboxEmails_CreatedAt" ON "OutboxEmails" ("CreatedAt");

CREATE INDEX "IX_OutboxEmails_Status_NextAttemptAt" ON "OutboxEmails" ("Status", "NextAttemptAt");

CREATE INDEX "IX_PasswordHistory_UserId_CreatedAt" ON "PasswordHistory" ("UserId", "CreatedAt");

CREATE UNIQUE INDEX "IX_PasswordLinks_Selector" ON "PasswordLinks" ("Selector");

CREATE INDEX "IX_PasswordLinks_UserId_CreatedAt" ON "PasswordLinks" ("UserId", "CreatedAt");

CREATE INDEX "IX_Secrets_CertificateThumbprint_Id" ON "Secrets" ("CertificateThumbprint", "Id");

CREATE UNIQUE INDEX "IX_Secrets_Purpose_EntityId_FieldId" ON "Secrets" ("Purpose", "EntityId", "FieldId");

CREATE UNIQUE INDEX "IX_SecureMessages_Selector" ON "SecureMessages" ("Selector");

CREATE INDEX "IX_SecureMessages_Status_ExpiresAt" ON "SecureMessages" ("Status", "ExpiresAt");

CREATE INDEX "IX_SecureMessages_TicketId" ON "SecureMessages" ("TicketId");

CREATE INDEX "IX_TicketActivities_TicketId_CreatedAt" ON "TicketActivities" ("TicketId", "CreatedAt");

CREATE INDEX "IX_Tickets_CustomerId_UpdatedAt" ON "Tickets" ("CustomerId", "UpdatedAt");

CREATE INDEX "IX_Tickets_RequesterId" ON "Tickets" ("RequesterId");

CREATE INDEX "IX_Tickets_Status_UpdatedAt" ON "Tickets" ("Status", "UpdatedAt");

CREATE INDEX "IX_Tickets_UpdatedAt" ON "Tickets" ("UpdatedAt");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261201010707_Baseline', '10.0.13');

ALTER TABLE "OutboxEmails" ADD "LinkRemovedAt" TEXT NULL;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261201011014_PickupLinkRemoved', '10.0.13');

ALTER TABLE "Settings" ADD "Version" INTEGER NOT NULL DEFAULT 0;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261201011925_SettingsVersion', '10.0.13');

ALTER TABLE "PasswordLinks" ADD "PasswordSetAt" TEXT NULL;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261201013546_PasswordLinkPasswordSetAt', '10.0.13');

CREATE TABLE "DataProtectionKeys" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_DataProtectionKeys" PRIMARY KEY AUTOINCREMENT,
    "FriendlyName" TEXT NULL,
    "Xml" TEXT NULL
);

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261201055132_DataProtectionKeys', '10.0.13');

ALTER TABLE "JobRuns" ADD "Node" TEXT NULL;

ALTER TABLE "AuditEvents" ADD "Server" TEXT NULL;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261201055536_NodeNames', '10.0.13');

CREATE TABLE "AgentGroups" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AgentGroups" PRIMARY KEY AUTOINCREMENT,
    "Name" TEXT NOT NULL,
    "AllCustomers" INTEGER NOT NULL,
    "OtherTables" INTEGER NOT NULL,
    "CanApprove" INTEGER NOT NULL,
    "IsBuiltIn" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL
);

CREATE TABLE "AgentGroupCustomers" (
    "GroupId" INTEGER NOT NULL,
    "CustomerId" INTEGER NOT NULL,
    CONSTRAINT "PK_AgentGroupCustomers" PRIMARY KEY ("GroupId", "CustomerId"),
    CONSTRAINT "FK_AgentGroupCustomers_AgentGroups_GroupId" FOREIGN KEY ("GroupId") REFERENCES "AgentGroups" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_AgentGroupCustomers_Customers_CustomerId" FOREIGN KEY ("CustomerId") REFERENCES "Customers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AgentGroupMembers" (
    "GroupId" INTEGER NOT NULL,
    "UserId" TEXT NOT NULL,
    CONSTRAINT "PK_AgentGroupMembers" PRIMARY KEY ("GroupId", "UserId"),
    CONSTRAINT "FK_AgentGroupMembers_AgentGroups_GroupId" FOREIGN KEY ("GroupId") REFERENCES "AgentGroups" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_AgentGroupMembers_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AgentGroupTables" (
    "GroupId" INTEGER NOT NULL,
    "TableId" INTEGER NOT NULL,
    "Level" INTEGER NOT NULL,
    CONSTRAINT "PK_AgentGroupTables" PRIMARY KEY ("GroupId", "TableId"),
    CONSTRAINT "FK_AgentGroupTables_AgentGroups_GroupId" FOREIGN KEY ("GroupId") REFERENCES "AgentGroups" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_AgentGroupTables_CustomTables_TableId" FOREIGN KEY ("TableId") REFERENCES "CustomTables" ("Id") ON DELETE CASCADE
);

INSERT INTO "AgentGroups" ("Id", "AllCustomers", "CanApprove", "CreatedAt", "IsBuiltIn", "Name", "OtherTables", "UpdatedAt")
VALUES (1, 1, 0, '2026-12-01 00:00:00', 1, 'All agents', 4, '2026-12-01 00:00:00');
SELECT changes();


INSERT INTO "AgentGroupMembers" ("GroupId", "UserId")
SELECT DISTINCT 1, ur."UserId"
FROM "AspNetUserRoles" ur
JOIN "AspNetRoles" r ON r."Id" = ur."RoleId"
WHERE r."Name" IN ('Agent', 'Admin');

CREATE INDEX "IX_AgentGroupCustomers_CustomerId" ON "AgentGroupCustomers" ("CustomerId");

CREATE INDEX "IX_AgentGroupMembers_UserId" ON "AgentGroupMembers" ("UserId");

CREATE UNIQUE INDEX "IX_AgentGroups_Name" ON "AgentGroups" ("Name");

CREATE INDEX "IX_AgentGroupTables_TableId" ON "AgentGroupTables" ("TableId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261201105239_AgentGroups', '10.0.13');

ALTER TABLE "CustomValues" ADD "RotationReason" TEXT NULL;

ALTER TABLE "CustomValues" ADD "RotationRequestedAt" TEXT NULL;

ALTER TABLE "CustomValues" ADD "RotationRequestedBy" TEXT NULL;

ALTER TABLE "AspNetUsers" ADD "AccessNarrowedAt" TEXT NULL;

CREATE TABLE "AccessNotices" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AccessNotices" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "Kind" INTEGER NOT NULL,
    "Text" TEXT NOT NULL,
    "Link" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "ReadAt" TEXT NULL,
    "RequestId" INTEGER NULL,
    CONSTRAINT "FK_AccessNotices_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AccessRequests" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AccessRequests" PRIMARY KEY AUTOINCREMENT,
    "RequesterId" TEXT NOT NULL,
    "RequesterName" TEXT NOT NULL,
    "CustomerId" INTEGER NOT NULL,
    "TableId" INTEGER NOT NULL,
    "RowId" INTEGER NOT NULL,
    "FieldId" INTEGER NOT NULL,
    "Reason" TEXT NOT NULL,
    "Minutes" INTEGER NOT NULL,
    "Status" INTEGER NOT NULL,
    "RequestedAt" TEXT NOT NULL,
    "DecidedAt" TEXT NULL,
    "DeciderId" TEXT NULL,
    "DeciderName" TEXT NULL,
    "GrantedUntil" TEXT NULL,
    "ExpiryRecorded" INTEGER NOT NULL,
    CONSTRAINT "FK_AccessRequests_AspNetUsers_RequesterId" FOREIGN KEY ("RequesterId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_AccessRequests_Customers_CustomerId" FOREIGN KEY ("CustomerId") REFERENCES "Customers" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_AccessNotices_RequestId" ON "AccessNotices" ("RequestId");

CREATE INDEX "IX_AccessNotices_UserId_ReadAt_Id" ON "AccessNotices" ("UserId", "ReadAt", "Id");

CREATE INDEX "IX_AccessRequests_CustomerId" ON "AccessRequests" ("CustomerId");

CREATE INDEX "IX_AccessRequests_ExpiryRecorded_GrantedUntil" ON "AccessRequests" ("ExpiryRecorded", "GrantedUntil");

CREATE INDEX "IX_AccessRequests_RequesterId_RowId_FieldId" ON "AccessRequests" ("RequesterId", "RowId", "FieldId");

CREATE INDEX "IX_AccessRequests_Status_RequestedAt" ON "AccessRequests" ("Status", "RequestedAt");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261201130910_AccessRequests', '10.0.13');

