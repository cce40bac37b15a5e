import OzziRuntime

/// The agent's tools, as the model is told about them. Those that touch the workspace's data run in the
/// api (`VoiceDirectory.tool`); `transfer_to_human` and `end_call` end the ConversationRelay session.
enum AgentTools {
    static let definitions: [ToolDefinition] = [
        ToolDefinition(name: "lookup_caller", description: "Look up the caller by their phone number: their name and contact record, if known.",
                       parameters: ["type": "object", "properties": [:] as JSONValue]),
        ToolDefinition(name: "take_message", description: "Take a message from the caller for the team; it is kept on the caller's contact.",
                       parameters: ["type": "object", "properties": ["message": ["type": "string", "description": "The message, in the caller's words"]],
                                    "required": ["message"]]),
        ToolDefinition(name: "schedule_callback", description: "Ask the team to call the caller back.",
                       parameters: ["type": "object", "properties": ["when": ["type": "string", "description": "When the caller would like the call"],
                                                                     "note": ["type": "string", "description": "What the call is about"]]]),
        ToolDefinition(name: "send_sms", description: "Send the caller a text message (an address, a link, a confirmation).",
                       parameters: ["type": "object", "properties": ["body": ["type": "string", "description": "The text to send"]], "required": ["body"]]),
        ToolDefinition(name: "transfer_to_human", description: "Hand the call to a person on the team when the caller asks for one or you cannot help.",
                       parameters: ["type": "object", "properties": ["reason": ["type": "string", "description": "Why the call is handed over"]]]),
        ToolDefinition(name: "end_call", description: "End the call when the caller is done.",
                       parameters: ["type": "object", "properties": [:] as JSONValue]),
    ]

    /// Tools the session itself carries out.
    static let sessionTools: Set<String> = ["transfer_to_human", "end_call"]
}
