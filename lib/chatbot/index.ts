export { parseChatbotRequest, DEFAULT_SEARCH_DAYS, ALTERNATIVE_DAYS } from './parse-request';
export {
  composeSlotReply,
  DEFAULT_MAX_OPTIONS,
  type TSlotOption,
  type TSlotReply,
  type TComposeOptions,
} from './compose-reply';
export {
  ZChatbotQuery,
  ZChatbotContext,
  ZFreeSlot,
  ZOpeningHours,
  ZPartOfDay,
  ZClarificationReason,
  type TChatbotQuery,
  type TChatbotContext,
  type TFreeSlot,
  type TOpeningHours,
  type TPartOfDay,
  type TClarificationReason,
  type TServiceRef,
  type TDentistRef,
} from './types';
export {
  toZonedParts,
  zonedWallTimeToUtc,
  offsetMinutesAt,
  type TLocalDate,
  type TLocalTime,
} from './zoned-time';
