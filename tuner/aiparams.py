"""The keys of `$defs.AIParams` in SignalWire's schema.json, pinned for when no SDK is installed.

With them, the keys that belong elsewhere in the `ai` verb: the prompt's LLM settings
(`$defs.AIPromptText` and its siblings) and the verb's own keys (`$defs.AIObject`).

`tuner.keys` reads the installed SDK's schema.json first; this copy only stands in without one.
`tests/apply/test_keys_schema.py` fails when it differs from the installed schema, and prints the
list to paste here.
"""

from __future__ import annotations

#: The SDK release the list was taken from.
PINNED_FROM = "signalwire-sdk 3.7.5"

AI_PARAMS: frozenset[str] = frozenset(
    (
        "acknowledge_interruptions",
        "ai_model",
        "ai_name",
        "ai_volume",
        "app_name",
        "asr_diarize",
        "asr_smart_format",
        "asr_speaker_affinity",
        "attention_timeout",
        "attention_timeout_prompt",
        "audible_debug",
        "audible_latency",
        "background_file",
        "background_file_loops",
        "background_file_volume",
        "barge_functions",
        "barge_match_string",
        "barge_min_words",
        "cache_mode",
        "conscience",
        "conversation_id",
        "conversation_sliding_window",
        "convo",
        "debug",
        "debug_webhook_level",
        "debug_webhook_url",
        "digit_terminators",
        "digit_timeout",
        "direction",
        "eleven_labs_similarity",
        "eleven_labs_stability",
        "enable_accounting",
        "enable_barge",
        "enable_inner_dialog",
        "enable_pause",
        "enable_thinking",
        "enable_turn_detection",
        "enable_vision",
        "end_of_speech_timeout",
        "energy_level",
        "first_word_timeout",
        "function_wait_for_talking",
        "functions_on_no_response",
        "hard_stop_prompt",
        "hard_stop_time",
        "hold_music",
        "hold_on_process",
        "inactivity_timeout",
        "initial_sleep_ms",
        "inner_dialog_model",
        "inner_dialog_prompt",
        "inner_dialog_synced",
        "input_poll_freq",
        "interrupt_on_noise",
        "interrupt_prompt",
        "languages_enabled",
        "llm_diarize_aware",
        "local_tz",
        "max_emotion",
        "max_response_tokens",
        "openai_asr_engine",
        "outbound_attention_timeout",
        "persist_global_data",
        "pom_format",
        "save_conversation",
        "speak_when_spoken_to",
        "speech_event_timeout",
        "speech_gen_quick_stops",
        "speech_timeout",
        "start_paused",
        "static_greeting",
        "static_greeting_no_barge",
        "summary_mode",
        "swaig_allow_settings",
        "swaig_allow_swml",
        "swaig_post_conversation",
        "swaig_post_swml_vars",
        "swaig_set_global_data",
        "thinking_model",
        "transfer_summary",
        "transparent_barge",
        "transparent_barge_max_time",
        "tts_number_format",
        "turn_detection_timeout",
        "vad_config",
        "verbose_logs",
        "video_idle_file",
        "video_listening_file",
        "video_talking_file",
        "vision_model",
        "wait_for_user",
        "wake_prefix",
    )
)

#: Keys of the prompt and post-prompt objects (`set_prompt_llm_params`), not of `ai.params`.
PROMPT_KEYS: frozenset[str] = frozenset(
    (
        "confidence",
        "contexts",
        "frequency_penalty",
        "max_tokens",
        "pom",
        "presence_penalty",
        "temperature",
        "text",
        "top_p",
    )
)

#: Keys of the `ai` verb itself (`$defs.AIObject`), not of `ai.params`.
AI_VERB_KEYS: frozenset[str] = frozenset(
    (
        "SWAIG",
        "global_data",
        "hints",
        "languages",
        "multilingual",
        "post_prompt",
        "post_prompt_url",
        "prompt",
        "pronounce",
    )
)
