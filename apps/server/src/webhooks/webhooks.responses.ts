import { ApiProperty } from '@nestjs/swagger';

/** What a verified delivery is answered with, at once: the session engine processes it from the log. */
export class WebhookDeliveryReceivedDto {
  @ApiProperty({ type: 'boolean', enum: [true], example: true })
  received!: true;
}
