namespace BlazorVault.Core.Audit;

/// <summary>The actions the audit log records. Names are stable: filters and exports use them.</summary>
public static class AuditActions
{
    public const string SignInSucceeded = "sign-in.succeeded";
    public const string SignInFailed = "sign-in.failed";
    public const string LockedOut = "sign-in.locked-out";
    public const string SetupCompleted = "setup.completed";
    public const string UserCreated = "user.created";
    public const string UserUpdated = "user.updated";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string RoleGranted = "role.granted";
    public const string RoleRemoved = "role.removed";
    public const string SignInReset = "user.sign-in-reset";
    public const string SecondFactorsSealed = "user.second-factors-sealed";
    public const string SettingsChanged = "settings.changed";
    public const string AuditVerified = "audit.verified";
    public const string JobRunRequested = "job.run-requested";
    public const string KeyGenerated = "key.generated";
    public const string KeyActivated = "key.activated";
    public const string KeyRemoved = "key.removed";
    public const string KeyMissing = "key.missing";
    public const string KeyBackupAcknowledged = "key.backup-acknowledged";
    public const string KeyRewrapStarted = "key.rewrap-started";
    public const string KeyRewrapCompleted = "key.rewrap-completed";
    public const string CustomObjectChanged = "custom-object.changed";
    public const string AgentGroupChanged = "agent-group.changed";
    public const string CustomerFieldsChanged = "customer.fields-changed";
    public const string SecureMessageCreated = "secure-message.created";
    public const string SecureMessageViewed = "secure-message.viewed";
    public const string SecureMessageFailed = "secure-message.failed-passphrase";
    public const string SecureMessageLocked = "secure-message.locked";
    public const string SecureMessageExpired = "secure-message.expired";
    public const string SecureMessageRevoked = "secure-message.revoked";
    public const string VaultRowCreated = "vault.row-created";
    public const string VaultRowChanged = "vault.row-changed";
    public const string VaultRowDeleted = "vault.row-deleted";
    public const string SecretRevealed = "vault.revealed";
    public const string SecretCopied = "vault.copied";
    public const string BreakGlassRevealed = "vault.break-glass";
    public const string BreakGlassFailed = "vault.break-glass-failed";
    public const string RotationRequested = "vault.rotation-requested";
    public const string PasswordChanged = "password.changed";
    public const string PasswordResetRequested = "password.reset-requested";
    public const string PasswordResetSent = "password.reset-sent";
    public const string PasswordReset = "password.reset";
    public const string PasswordSet = "password.set";
    public const string PasswordExpired = "password.expired";
    public const string PasswordExpiredSignIn = "password.expired-sign-in";
    public const string PasswordExpiryReminders = "password.expiry-reminders";
    public const string EmailSent = "email.sent";
    public const string EmailFailed = "email.failed";
    public const string EmailRetried = "email.retried";
    public const string EmailOpened = "email.opened";
    public const string EmailTested = "email.tested";
    public const string EmailLinksRemoved = "email.links-removed";
    public const string AccessRequested = "access.requested";
    public const string AccessApproved = "access.approved";
    public const string AccessDenied = "access.denied";
    public const string AccessUsed = "access.used";
    public const string AccessExpired = "access.expired";

    /// <summary>What a customer's Access log shows.</summary>
    public static readonly IReadOnlyList<string> VaultAccess =
    [
        SecretRevealed,
        SecretCopied,
        BreakGlassRevealed,
        BreakGlassFailed,
        RotationRequested,
        VaultRowCreated,
        VaultRowChanged,
        VaultRowDeleted,
        AccessRequested,
        AccessApproved,
        AccessDenied,
        AccessUsed,
        AccessExpired,
    ];

    public static readonly IReadOnlyList<string> All =
    [
        SignInSucceeded,
        SignInFailed,
        LockedOut,
        SetupCompleted,
        UserCreated,
        UserUpdated,
        UserDisabled,
        UserEnabled,
        RoleGranted,
        RoleRemoved,
        SignInReset,
        SecondFactorsSealed,
        SettingsChanged,
        AgentGroupChanged,
        AuditVerified,
        JobRunRequested,
        KeyGenerated,
        KeyActivated,
        KeyRemoved,
        KeyMissing,
        KeyBackupAcknowledged,
        KeyRewrapStarted,
        KeyRewrapCompleted,
        CustomObjectChanged,
        CustomerFieldsChanged,
        SecureMessageCreated,
        SecureMessageViewed,
        SecureMessageFailed,
        SecureMessageLocked,
        SecureMessageExpired,
        SecureMessageRevoked,
        VaultRowCreated,
        VaultRowChanged,
        VaultRowDeleted,
        SecretRevealed,
        SecretCopied,
        BreakGlassRevealed,
        BreakGlassFailed,
        RotationRequested,
        PasswordChanged,
        PasswordResetRequested,
        PasswordResetSent,
        PasswordReset,
        PasswordSet,
        PasswordExpired,
        PasswordExpiredSignIn,
        PasswordExpiryReminders,
        EmailSent,
        EmailFailed,
        EmailRetried,
        EmailOpened,
        EmailTested,
        EmailLinksRemoved,
        AccessRequested,
        AccessApproved,
        AccessDenied,
        AccessUsed,
        AccessExpired,
    ];
}
