namespace BlazorVault.Core.Tickets.Entities;

/// <summary>A customer's request, raised for one of the customer's portal users (the requester).</summary>
public sealed class Ticket
{
    public const int SubjectMaxLength = 200;
    public const int DescriptionMaxLength = 10_000;

    public static readonly IReadOnlyList<TicketStatus> OpenStatuses =
    [
        TicketStatus.New,
        TicketStatus.InProgress,
        TicketStatus.WaitingOnCustomer,
    ];

    private readonly List<TicketActivity> _activities = [];

    public int Id { get; private set; }

    public int CustomerId { get; private set; }

    public string RequesterId { get; private set; } = "";

    public string Subject { get; private set; } = "";

    public string Description { get; private set; } = "";

    public TicketStatus Status { get; private set; }

    public TicketPriority Priority { get; private set; }

    public string CreatedById { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public IReadOnlyCollection<TicketActivity> Activities => _activities;

    public static Ticket Open(
        int customerId,
        string requesterId,
        string subject,
        string description,
        TicketPriority priority,
        TicketActor by,
        DateTime now
    )
    {
        var ticket = new Ticket
        {
            CustomerId = customerId,
            RequesterId = requesterId,
            Subject = subject,
            Description = description,
            Priority = priority,
            Status = TicketStatus.New,
            CreatedById = by.UserId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        ticket._activities.Add(TicketActivity.Create(TicketActivityKind.Created, null, by, now));
        return ticket;
    }

    public bool IsOpen => OpenStatuses.Contains(Status);

    public void AddComment(string body, bool isInternal, TicketActor by, bool byRequesterSide, DateTime now)
    {
        _activities.Add(TicketActivity.Create(isInternal ? TicketActivityKind.InternalNote : TicketActivityKind.Comment, body, by, now));
        UpdatedAt = now;

        // A customer's reply puts a ticket that waited on them back in the agents' queue.
        if (byRequesterSide && Status == TicketStatus.WaitingOnCustomer)
        {
            ChangeStatus(TicketStatus.InProgress, by, now);
        }
    }

    public bool ChangeStatus(TicketStatus status, TicketActor by, DateTime now)
    {
        if (status == Status)
        {
            return false;
        }

        var from = Status;
        Status = status;
        UpdatedAt = now;
        _activities.Add(
            TicketActivity.Create(TicketActivityKind.StatusChanged, $"{TicketText.Status(from)} → {TicketText.Status(status)}", by, now)
        );
        return true;
    }

    public bool ChangePriority(TicketPriority priority, TicketActor by, DateTime now)
    {
        if (priority == Priority)
        {
            return false;
        }

        var from = Priority;
        Priority = priority;
        UpdatedAt = now;
        _activities.Add(TicketActivity.Create(TicketActivityKind.PriorityChanged, $"{from} → {priority}", by, now));
        return true;
    }

    public void Edit(string subject, string description, TicketActor by, DateTime now)
    {
        if (subject == Subject && description == Description)
        {
            return;
        }

        Subject = subject;
        Description = description;
        UpdatedAt = now;
        _activities.Add(TicketActivity.Create(TicketActivityKind.Edited, null, by, now));
    }
}
